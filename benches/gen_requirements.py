#!/usr/bin/env python3
"""Generates one huge pip requirements file, for benches/huge-lockfile.sh.

The lines look like real requirements: names from a set of widely used Python projects, pinned
with `==`, some with extras, environment markers or `--hash` options (continued on the next
line, as `pip-compile --generate-hashes` writes them), and `# via` comments and blank lines in
between. Deterministic (fixed seed): the same size gives the same bytes.

usage: gen_requirements.py OUT_FILE [--bytes 209715200]
"""
import argparse
import random

NAMES = """
aiohttp aiosignal alembic amqp anyio appdirs argon2-cffi asgiref astroid attrs autopep8 babel
backcall bcrypt beautifulsoup4 billiard black bleach blinker boto3 botocore build cachetools
celery certifi cffi chardet charset-normalizer click cloudpickle colorama coverage cryptography
cycler cython dask decorator defusedxml deprecated dill distlib django djangorestframework dnspython
docker docutils email-validator et-xmlfile exceptiongroup executing fastapi fastjsonschema filelock
flake8 flask fonttools frozenlist fsspec gast gitdb gitpython google-api-core google-auth
googleapis-common-protos greenlet grpcio gunicorn h11 h5py httpcore httplib2 httpx huggingface-hub
idna imageio importlib-metadata iniconfig ipykernel ipython isodate isort itsdangerous jedi jinja2
jmespath joblib jsonpointer jsonschema jupyter-client jupyter-core keras kiwisolver kombu lazy-object-proxy
lxml markdown markupsafe marshmallow matplotlib matplotlib-inline mccabe more-itertools msgpack
multidict mypy mypy-extensions nest-asyncio networkx nltk numpy oauthlib openpyxl opentelemetry-api
orjson packaging pandas paramiko parso pathspec pexpect pillow pip platformdirs pluggy prompt-toolkit
protobuf psutil psycopg2-binary ptyprocess pyarrow pyasn1 pyasn1-modules pycodestyle pycparser
pydantic pydantic-core pyflakes pygments pyjwt pylint pynacl pyopenssl pyparsing pytest pytest-cov
python-dateutil python-dotenv pytz pyyaml pyzmq redis regex requests requests-oauthlib rich rsa
ruamel.yaml s3transfer scikit-learn scipy seaborn setuptools six smmap sniffio soupsieve sqlalchemy
sqlparse starlette sympy tabulate tenacity termcolor threadpoolctl tokenizers toml tomli tomlkit
toolz torch tornado tqdm traitlets transformers typing-extensions tzdata uritemplate urllib3
uvicorn vine virtualenv wcwidth websocket-client werkzeug wheel wrapt xlrd yarl zipp Flask-Cors
Django-Storages SQLAlchemy-Utils zope.interface
""".split()

EXTRAS = ["security", "socks", "test", "dev", "redis", "all", "crypto", "async"]
MARKERS = [
    'python_version < "3.11"',
    'python_version >= "3.8"',
    'sys_platform == "win32"',
    'platform_system != "Windows"',
    'implementation_name == "cpython"',
]


def version(rng):
    return f"{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 20)}"


def entry(rng):
    """One requirement, with its continuation and comment lines."""
    name = rng.choice(NAMES)
    roll = rng.random()
    req = name
    if roll < 0.10:
        req += f"[{rng.choice(EXTRAS)}]"
    req += f"=={version(rng)}"
    if 0.10 <= roll < 0.20:
        req += f" ; {rng.choice(MARKERS)}"
    lines = [req]
    if 0.20 <= roll < 0.34:
        lines[0] += " \\"
        n = rng.randint(1, 2)
        for i in range(n):
            tail = " \\" if i + 1 < n else ""
            lines.append(f"    --hash=sha256:{rng.getrandbits(256):064x}{tail}")
    roll = rng.random()
    if roll < 0.12:
        lines.append(f"    # via {rng.choice(NAMES)}")
    elif roll < 0.14:
        lines.append("")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--bytes", type=int, default=200 * 1024 * 1024)
    args = ap.parse_args()
    rng = random.Random(20240611)
    written = 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        header = "# This file is generated for a benchmark.\n--index-url https://pypi.example/simple\n\n"
        f.write(header)
        written += len(header)
        chunk = []
        while written < args.bytes:
            e = entry(rng)
            written += len(e)
            chunk.append(e)
            if len(chunk) >= 10000:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))


if __name__ == "__main__":
    main()
