#!/usr/bin/env python3
"""Generates a synthetic monorepo for the scan benchmark.

50,000 files in all: 200 lockfiles of mixed ecosystems holding about 20,000 packages, the rest
ordinary source files spread over nested directories. Deterministic (fixed seed).

usage: gen_monorepo.py OUT_DIR [--files 50000] [--lockfiles 200] [--packages 20000]
"""
import argparse
import json
import os
import random


def cargo_lock(pkgs):
    out = ["version = 3", ""]
    out += ["[[package]]", 'name = "app"', 'version = "0.1.0"', "dependencies = ["]
    out += [f' "{n}",' for n, _ in pkgs[:10]] + ["]", ""]
    for i, (n, v) in enumerate(pkgs):
        out += ["[[package]]", f'name = "{n}"', f'version = "{v}"',
                'source = "registry+https://index.crates.example/"',
                f'checksum = "{i:064x}"']
        if i + 1 < len(pkgs):
            out += ["dependencies = [", f' "{pkgs[i + 1][0]}",', "]"]
        out.append("")
    return "\n".join(out)


def package_lock(pkgs):
    packages = {"": {"name": "app", "version": "1.0.0",
                     "dependencies": {n: v for n, v in pkgs[:10]}}}
    for n, v in pkgs:
        packages[f"node_modules/{n}"] = {
            "version": v, "resolved": f"https://registry.npm.example/{n}/-/{n}-{v}.tgz",
            "integrity": "sha512-" + "A" * 86 + "==", "dependencies": {}}
    return json.dumps({"name": "app", "version": "1.0.0", "lockfileVersion": 3,
                       "requires": True, "packages": packages}, indent=2)


def requirements(pkgs):
    return "\n".join(f"{n}=={v}" for n, v in pkgs) + "\n"


def go_mod(pkgs):
    lines = ["module example.test/app", "", "go 1.21", "", "require ("]
    lines += [f"\tgithub.example/{n}/{n} v{v}" for n, v in pkgs]
    return "\n".join(lines + [")", ""])


def gemfile_lock(pkgs):
    lines = ["GEM", "  remote: https://rubygems.example/", "  specs:"]
    lines += [f"    {n} ({v})" for n, v in pkgs]
    lines += ["", "PLATFORMS", "  ruby", "", "DEPENDENCIES"] + [f"  {n}" for n, _ in pkgs[:10]]
    return "\n".join(lines + ["", "BUNDLED WITH", "   2.4.10", ""])


def composer_lock(pkgs):
    return json.dumps({"packages": [{"name": f"vendor/{n}", "version": v} for n, v in pkgs],
                       "packages-dev": []}, indent=4)


FORMATS = [
    ("Cargo.lock", cargo_lock),
    ("package-lock.json", package_lock),
    ("requirements.txt", requirements),
    ("go.mod", go_mod),
    ("Gemfile.lock", gemfile_lock),
    ("composer.lock", composer_lock),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=50_000)
    ap.add_argument("--lockfiles", type=int, default=200)
    ap.add_argument("--packages", type=int, default=20_000)
    args = ap.parse_args()
    rng = random.Random(42)
    per_lock = args.packages // args.lockfiles
    written = 0
    for i in range(args.lockfiles):
        name, render = FORMATS[i % len(FORMATS)]
        d = os.path.join(args.out, f"service-{i:03d}")
        os.makedirs(d, exist_ok=True)
        pkgs = [(f"pkg-{i}-{j}", f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}")
                for j in range(per_lock)]
        with open(os.path.join(d, name), "w") as f:
            f.write(render(pkgs))
        written += 1
    remaining = args.files - written
    for k in range(remaining):
        d = os.path.join(args.out, f"service-{k % args.lockfiles:03d}", "src", f"m{(k // 50) % 40}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"file{k}.rs"), "w") as f:
            f.write(f"// generated source file {k}\npub fn f{k}() -> u32 {{ {k} }}\n")
    print(f"wrote {args.files} files ({args.lockfiles} lockfiles, ~{per_lock * args.lockfiles} packages) to {args.out}")


if __name__ == "__main__":
    main()
