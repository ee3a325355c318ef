# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_trusca_global_optspecs
    string join \n h/help V/version
end

function __fish_trusca_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_trusca_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_trusca_using_subcommand
    set -l cmd (__fish_trusca_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c trusca -n "__fish_trusca_needs_command" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_needs_command" -s V -l version -d 'Print version'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "scan" -d 'Scan a directory or git repository for third-party components'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "sbom" -d 'Write an SBOM of a directory or git repository (`scan` with an SBOM format)'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "db" -d 'Manage the local vulnerability database (OSV data)'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "upload" -d 'Upload a scan result or CycloneDX SBOM to a trusca server'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "policy" -d 'The team policy a trusca server keeps'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "key" -d 'Signing keys for attestations'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "attest" -d 'Scan, then write a signed in-toto attestation of the SBOM or result (a DSSE envelope)'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "verify" -d 'Check an attestation\'s signature with a trusted public key, and what it says'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "server" -d 'Run the trusca team server, migrate its database, or administer it'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c trusca -n "__fish_trusca_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l ref -d 'The branch, tag or commit to check out when TARGET is a git URL' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l lockfile -d 'Read a file with a given format, whatever its name (`package-lock.json:deps/lock.json`); repeatable. Without TARGET, only these files are read' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l include -d 'Also read files matching this glob (relative to TARGET), even where `.gitignore` or the default skips (`node_modules`, `vendor`, `target`, …) would leave them out; repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l exclude -d 'Leave out files and directories matching this glob (relative to TARGET); repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -s o -l output -d 'Write to FILE instead of standard output (`-` is standard output)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l package-store -d 'Read dependencies\' licenses from the package store at DIR, in place of the one found for KIND (cargo, go, python, maven, gradle, nuget, gem, pub, hex-deps, swift-checkouts, pods); repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -s f -l format -d 'Output format [default: `table` on a terminal, `json` otherwise]' -r -f -a "table\t'Tables grouped by ecosystem, for people'
json\t'The trusca JSON result (documented in docs/json-format.md)'
cyclonedx\t'CycloneDX JSON'
cyclonedx-xml\t'CycloneDX XML'
spdx\t'SPDX 2.3 JSON'
sarif\t'SARIF 2.1.0, for code-scanning UIs'
markdown\t'A Markdown summary, for pull-request comments'
openvex\t'OpenVEX 0.2.0: each finding with its status (VEX statements applied, exceptions as `not_affected`)'"
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l spec-version -d 'CycloneDX specification version' -r -f -a "1.5\t'CycloneDX 1.5'
1.6\t'CycloneDX 1.6'"
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l scanners -d 'The checks to run, comma-separated (or `TRUSCA_SCANNERS`, or `[scan] scanners`) [default: `vuln,license`]' -r -f -a "vuln\t'Known vulnerabilities, from the local OSV database (which must then be present)'
license\t'Licenses of the dependencies and of the project'"
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l fail-on -d 'Fail (exit 1) on vulnerabilities at or above SEVERITY [default: `fail_on` in `trusca.toml`, else `high`]' -r -f -a "critical\t'CVSS 9.0 and above'
high\t'CVSS 7.0 and above'
medium\t'CVSS 4.0 and above'
low\t'Any known severity (and an unknown one, unless `[vulns] unknown_severity` says otherwise)'
none\t'Vulnerabilities never fail the scan (malicious packages still do)'"
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l config -d 'Read policy from FILE instead of the `trusca.toml` at the scan root' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l db -d 'The vulnerability database file (or `TRUSCA_DB`) [default: `<user cache dir>/trusca/osv.db`]' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l max-db-age -d 'Fail (exit 2) when the database is older than DAYS, instead of only warning after 7 days' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l db-mirror -d 'Where the first scan downloads the database from when there is none (or `TRUSCA_DB_MIRROR`)' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l severity -d 'Keep only findings of these severities, comma-separated (malicious packages are kept)' -r -f -a "critical\t'CVSS 9.0 and above'
high\t'CVSS 7.0–8.9'
medium\t'CVSS 4.0–6.9'
low\t'CVSS 0.1–3.9'
unknown\t'No known score'"
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l vex -d 'Apply the statements of a VEX document (OpenVEX, CycloneDX VEX or CSAF VEX): findings `not_affected` or `fixed` are kept out of the gate; repeatable, after `[vulns] vex`' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l gate -d 'Whose decision sets the exit code: the local policy\'s (`local`, the default), or the server\'s under the team\'s policy, as its answer to the upload carries it (`server`)' -r -f -a "local\t'The local policy (`trusca.toml`)'
server\t'The team\'s policy on the server'"
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l server -d 'The trusca server to upload to (or `TRUSCA_SERVER`, or `[server] url` in trusca.toml; the key is read from `TRUSCA_TOKEN`)' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l project -d 'The project to upload to [default: the scanned target\'s name]' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l team -d 'The team, when the key is not bound to one and its user is in several' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l retries -d 'How often to retry after a server error or a network failure' -r
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l reproducible -d 'Fixed timestamp (`SOURCE_DATE_EPOCH`, or 1970-01-01) so the same tree gives identical output'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l no-progress -d 'No progress bar'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -s q -l quiet -d 'Print only the result and errors, no warnings'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l strict -d 'Fail (exit 2) when any dependency file cannot be read, instead of warning [default: `strict` in `trusca.toml`]'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l no-package-stores -d 'Read no package store outside the scanned tree (the cargo registry, the Go module cache, `~/.m2`, …) [default: `package_stores` in `trusca.toml`, else read them]'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l list-all-pkgs -d 'List every package in the table on a terminal too (a table written to a file always lists them)'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l offline -d 'Never touch the network (or `TRUSCA_OFFLINE=1`): without a database, vulnerabilities are not checked'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l ignore-unfixed -l only-fixed -d 'Leave out findings that no released version fixes (malicious packages are kept)'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -l upload -d 'Upload the result to a trusca server (`--server` or `TRUSCA_SERVER`, key in `TRUSCA_TOKEN`)'
complete -c trusca -n "__fish_trusca_using_subcommand scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l ref -d 'The branch, tag or commit to check out when TARGET is a git URL' -r
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l lockfile -d 'Read a file with a given format, whatever its name (`package-lock.json:deps/lock.json`); repeatable. Without TARGET, only these files are read' -r
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l include -d 'Also read files matching this glob (relative to TARGET), even where `.gitignore` or the default skips (`node_modules`, `vendor`, `target`, …) would leave them out; repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l exclude -d 'Leave out files and directories matching this glob (relative to TARGET); repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -s o -l output -d 'Write to FILE instead of standard output (`-` is standard output)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l package-store -d 'Read dependencies\' licenses from the package store at DIR, in place of the one found for KIND (cargo, go, python, maven, gradle, nuget, gem, pub, hex-deps, swift-checkouts, pods); repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -s f -l format -d 'SBOM format' -r -f -a "cyclonedx\t'CycloneDX JSON'
cyclonedx-xml\t'CycloneDX XML'
spdx\t'SPDX 2.3 JSON'"
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l spec-version -d 'CycloneDX specification version' -r -f -a "1.5\t'CycloneDX 1.5'
1.6\t'CycloneDX 1.6'"
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l reproducible -d 'Fixed timestamp (`SOURCE_DATE_EPOCH`, or 1970-01-01) so the same tree gives identical output'
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l no-progress -d 'No progress bar'
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -s q -l quiet -d 'Print only the result and errors, no warnings'
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l strict -d 'Fail (exit 2) when any dependency file cannot be read, instead of warning [default: `strict` in `trusca.toml`]'
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -l no-package-stores -d 'Read no package store outside the scanned tree (the cargo registry, the Go module cache, `~/.m2`, …) [default: `package_stores` in `trusca.toml`, else read them]'
complete -c trusca -n "__fish_trusca_using_subcommand sbom" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trusca -n "__fish_trusca_using_subcommand db; and not __fish_seen_subcommand_from update import status help" -l db -d 'The vulnerability database file (or `TRUSCA_DB`) [default: `<user cache dir>/trusca/osv.db`]' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand db; and not __fish_seen_subcommand_from update import status help" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand db; and not __fish_seen_subcommand_from update import status help" -f -a "update" -d 'Download OSV data (`<mirror>/<Ecosystem>/all.zip`) and rebuild the database; unchanged ecosystems are not downloaded again'
complete -c trusca -n "__fish_trusca_using_subcommand db; and not __fish_seen_subcommand_from update import status help" -f -a "import" -d 'Build the database from OSV data on disk: a directory in the osv.dev layout, zips, or `*.json` records; replaces the whole database'
complete -c trusca -n "__fish_trusca_using_subcommand db; and not __fish_seen_subcommand_from update import status help" -f -a "status" -d 'Show the database path, build time, age, source, and per ecosystem the record count and update time'
complete -c trusca -n "__fish_trusca_using_subcommand db; and not __fish_seen_subcommand_from update import status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from update" -l mirror -d 'Where to download from: an `http(s)://` URL, a `file://` URL or a directory in the osv.dev layout (or `TRUSCA_DB_MIRROR`) [default: the public OSV bucket]' -r
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from update" -l ecosystem -d 'Only this ecosystem (OSV name, such as `PyPI` or `crates.io`), keeping the others the database holds; repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from update" -s f -l format -d 'Report format' -r -f -a "text\t'Lines and a table, for people'
json\t'JSON'"
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from update" -l db -d 'The vulnerability database file (or `TRUSCA_DB`) [default: `<user cache dir>/trusca/osv.db`]' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from update" -l no-progress -d 'No progress bar'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from import" -s f -l format -d 'Report format' -r -f -a "text\t'Lines and a table, for people'
json\t'JSON'"
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from import" -l db -d 'The vulnerability database file (or `TRUSCA_DB`) [default: `<user cache dir>/trusca/osv.db`]' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from import" -l no-progress -d 'No progress bar'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from status" -s f -l format -d 'Output format [default: `text` on a terminal, `json` otherwise]' -r -f -a "text\t'Lines and a table, for people'
json\t'JSON'"
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from status" -l db -d 'The vulnerability database file (or `TRUSCA_DB`) [default: `<user cache dir>/trusca/osv.db`]' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "update" -d 'Download OSV data (`<mirror>/<Ecosystem>/all.zip`) and rebuild the database; unchanged ecosystems are not downloaded again'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "import" -d 'Build the database from OSV data on disk: a directory in the osv.dev layout, zips, or `*.json` records; replaces the whole database'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show the database path, build time, age, source, and per ecosystem the record count and update time'
complete -c trusca -n "__fish_trusca_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand upload" -l server -d 'The trusca server to upload to (or `TRUSCA_SERVER`, or `[server] url` in trusca.toml; the key is read from `TRUSCA_TOKEN`)' -r
complete -c trusca -n "__fish_trusca_using_subcommand upload" -l project -d 'The project to upload to [default: the scanned target\'s name]' -r
complete -c trusca -n "__fish_trusca_using_subcommand upload" -l team -d 'The team, when the key is not bound to one and its user is in several' -r
complete -c trusca -n "__fish_trusca_using_subcommand upload" -l retries -d 'How often to retry after a server error or a network failure' -r
complete -c trusca -n "__fish_trusca_using_subcommand upload" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand policy; and not __fish_seen_subcommand_from pull help" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand policy; and not __fish_seen_subcommand_from pull help" -f -a "pull" -d 'Write the team\'s policy kept on the server as `trusca.toml`, so that local runs judge by the same policy and exceptions as the server'
complete -c trusca -n "__fish_trusca_using_subcommand policy; and not __fish_seen_subcommand_from pull help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand policy; and __fish_seen_subcommand_from pull" -l server -d 'The trusca server (or `TRUSCA_SERVER`, or `[server] url` in trusca.toml; the key is read from `TRUSCA_TOKEN`)' -r
complete -c trusca -n "__fish_trusca_using_subcommand policy; and __fish_seen_subcommand_from pull" -l team -d 'The team, when the key is not bound to one and its user is in several' -r
complete -c trusca -n "__fish_trusca_using_subcommand policy; and __fish_seen_subcommand_from pull" -s o -l output -d 'Write to FILE (such as `trusca.toml`) instead of standard output' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand policy; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Write the team\'s policy kept on the server as `trusca.toml`, so that local runs judge by the same policy and exceptions as the server'
complete -c trusca -n "__fish_trusca_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand key; and not __fish_seen_subcommand_from generate help" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand key; and not __fish_seen_subcommand_from generate help" -f -a "generate" -d 'Write a new key pair: `trusca.key` (PKCS#8 PEM, mode 0600; encrypted with the passphrase in `TRUSCA_KEY_PASSWORD` when it is set) and `trusca.pub` (SPKI PEM)'
complete -c trusca -n "__fish_trusca_using_subcommand key; and not __fish_seen_subcommand_from generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand key; and __fish_seen_subcommand_from generate" -l out -d 'The directory to write the key pair to (made when missing; existing keys are never overwritten)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand key; and __fish_seen_subcommand_from generate" -l algorithm -d 'The signature algorithm' -r -f -a "ed25519\t'Ed25519'
ecdsa-p256\t'ECDSA over NIST P-256 with SHA-256'"
complete -c trusca -n "__fish_trusca_using_subcommand key; and __fish_seen_subcommand_from generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trusca -n "__fish_trusca_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "generate" -d 'Write a new key pair: `trusca.key` (PKCS#8 PEM, mode 0600; encrypted with the passphrase in `TRUSCA_KEY_PASSWORD` when it is set) and `trusca.pub` (SPKI PEM)'
complete -c trusca -n "__fish_trusca_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l ref -d 'The branch, tag or commit to check out when TARGET is a git URL' -r
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l lockfile -d 'Read a file with a given format, whatever its name (`package-lock.json:deps/lock.json`); repeatable. Without TARGET, only these files are read' -r
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l include -d 'Also read files matching this glob (relative to TARGET), even where `.gitignore` or the default skips (`node_modules`, `vendor`, `target`, …) would leave them out; repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l exclude -d 'Leave out files and directories matching this glob (relative to TARGET); repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand attest" -s o -l output -d 'Write to FILE instead of standard output (`-` is standard output)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l package-store -d 'Read dependencies\' licenses from the package store at DIR, in place of the one found for KIND (cargo, go, python, maven, gradle, nuget, gem, pub, hex-deps, swift-checkouts, pods); repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l key -d 'The private key to sign with (PKCS#8 PEM; the passphrase of an encrypted key is read from `TRUSCA_KEY_PASSWORD`)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l predicate -d 'What the attestation carries: an SBOM, or the trusca scan result (with vulnerabilities and the policy verdict)' -r -f -a "cyclonedx\t'A CycloneDX JSON SBOM (`https://cyclonedx.org/bom`)'
spdx\t'An SPDX 2.3 JSON SBOM (`https://spdx.dev/Document`)'
scan\t'The trusca JSON result of `trusca scan`, with findings and the policy verdict'"
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l spec-version -d 'CycloneDX specification version of a `cyclonedx` predicate' -r -f -a "1.5\t'CycloneDX 1.5'
1.6\t'CycloneDX 1.6'"
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l fail-on -d 'Fail (exit 1) on vulnerabilities at or above SEVERITY [default: `fail_on` in `trusca.toml`, else `high`]' -r -f -a "critical\t'CVSS 9.0 and above'
high\t'CVSS 7.0 and above'
medium\t'CVSS 4.0 and above'
low\t'Any known severity (and an unknown one, unless `[vulns] unknown_severity` says otherwise)'
none\t'Vulnerabilities never fail the scan (malicious packages still do)'"
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l config -d 'Read policy from FILE instead of the `trusca.toml` at the scan root' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l db -d 'The vulnerability database file (or `TRUSCA_DB`) [default: `<user cache dir>/trusca/osv.db`]' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l max-db-age -d 'Fail (exit 2) when the database is older than DAYS, instead of only warning after 7 days' -r
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l db-mirror -d 'Where the first scan downloads the database from when there is none (or `TRUSCA_DB_MIRROR`)' -r
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l severity -d 'Keep only findings of these severities, comma-separated (malicious packages are kept)' -r -f -a "critical\t'CVSS 9.0 and above'
high\t'CVSS 7.0–8.9'
medium\t'CVSS 4.0–6.9'
low\t'CVSS 0.1–3.9'
unknown\t'No known score'"
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l vex -d 'Apply the statements of a VEX document (OpenVEX, CycloneDX VEX or CSAF VEX): findings `not_affected` or `fixed` are kept out of the gate; repeatable, after `[vulns] vex`' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l reproducible -d 'Fixed timestamp (`SOURCE_DATE_EPOCH`, or 1970-01-01) so the same tree gives identical output'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l no-progress -d 'No progress bar'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -s q -l quiet -d 'Print only the result and errors, no warnings'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l strict -d 'Fail (exit 2) when any dependency file cannot be read, instead of warning [default: `strict` in `trusca.toml`]'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l no-package-stores -d 'Read no package store outside the scanned tree (the cargo registry, the Go module cache, `~/.m2`, …) [default: `package_stores` in `trusca.toml`, else read them]'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l bundle -d 'Write a Sigstore bundle v0.3 (the envelope and a public-key hint) instead of a bare DSSE envelope'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l offline -d 'Never touch the network (or `TRUSCA_OFFLINE=1`): without a database, vulnerabilities are not checked'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -l ignore-unfixed -l only-fixed -d 'Leave out findings that no released version fixes (malicious packages are kept)'
complete -c trusca -n "__fish_trusca_using_subcommand attest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c trusca -n "__fish_trusca_using_subcommand verify" -l key -d 'The trusted public key (SPKI PEM); a key or hint inside FILE is never trusted' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand verify" -l subject -d 'A subject the statement must have, with this digest (`Cargo.lock=sha256:HEX`, `app=gitCommit:HEX`); repeatable' -r
complete -c trusca -n "__fish_trusca_using_subcommand verify" -l predicate-type -d 'The predicate type the statement must have (`https://cyclonedx.org/bom`, `https://spdx.dev/Document`, …)' -r
complete -c trusca -n "__fish_trusca_using_subcommand verify" -l predicate-out -d 'Write the verified statement\'s predicate (the SBOM or result) to FILE (`-` is standard output)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand verify" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l database-url -d 'The database: `sqlite://PATH` (created on first start) or `postgres://…`' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l listen -d 'The address to listen on' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l max-body-mib -d 'The largest request body accepted, in MiB' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l max-upload-memory-mib -d 'The memory uploads may take together, in MiB: a large upload that would exceed it is answered 503 with `Retry-After` (uploads take about 24 times their size)' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l request-timeout -d 'Seconds after which a request is abandoned (and rolled back)' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l header-read-timeout -d 'Seconds a client may take to send a request head before it is disconnected' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l vuln-db -d 'The server\'s vulnerability database (built by `trusca server db update|import`)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l db-refresh-hours -d 'Hours between refreshes of the vulnerability database while serving (0: never)' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l db-mirror -d 'Where scheduled refreshes fetch OSV data: an `http(s)://` or `file://` URL or a directory (default: the public OSV bucket)' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l backup-dir -d 'Take automatic backups into this directory while serving' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l backup-hours -d 'Hours between automatic backups' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l backup-retention-days -d 'Remove automatic backups older than this many days (manual ones are kept)' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l idempotency-hours -d 'Hours an upload\'s `Idempotency-Key` is remembered; a key reused later is a new upload' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l trusted-proxy -d 'A reverse proxy (address or range, `10.0.0.0/8`) whose `X-Forwarded-For` names the client, for the limit on failed sign-ins; repeatable (or comma-separated in the environment)' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -l webhooks-allow-private -d 'Let webhooks target loopback, private and link-local addresses (refused by default, so a webhook cannot probe the server\'s own network)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -f -a "migrate" -d 'Apply database migrations and exit'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -f -a "admin" -d 'Manage users, teams and API keys directly in the database'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -f -a "backup" -d 'Back up the database (while the server runs) into DIR/trusca-backup-<UTC time>/'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -f -a "restore" -d 'Restore a backup, replacing all data. Stop the server first: it must not run meanwhile. Without --confirm, only checks the backup and says what would be replaced'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -f -a "db" -d 'Build or inspect the server\'s vulnerability database; after a build every project is matched again'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -f -a "audit" -d 'Check the audit log'
complete -c trusca -n "__fish_trusca_using_subcommand server; and not __fish_seen_subcommand_from migrate admin backup restore db audit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from migrate" -l database-url -d 'The database: `sqlite://PATH` (created on first start) or `postgres://…`' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from migrate" -l vuln-db -d 'The server\'s vulnerability database (built by `trusca server db update|import`)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -l database-url -d 'The database: `sqlite://PATH` (created on first start) or `postgres://…`' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -l vuln-db -d 'The server\'s vulnerability database (built by `trusca server db update|import`)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -f -a "create-user" -d 'Create a user'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -f -a "create-team" -d 'Create a team'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -f -a "add-member" -d 'Add a user to a team, or change their role in it'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -f -a "create-key" -d 'Create an API key for a user and print it (it is shown only this once)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -f -a "revoke-key" -d 'Revoke an API key by its prefix (`trs_<prefix>_…`)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -f -a "set-password" -d 'Set a user\'s web sign-in password, read from the first line of standard input (the user\'s web sessions end)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -f -a "set-policy" -d 'Set a team\'s policy from a `trusca.toml` file: uploads to the team are judged under it, and `trusca policy pull` writes it for local runs'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from admin" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from backup" -l out -d 'The directory to write the backup into' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from backup" -l retention-days -d 'Afterwards, remove automatic backups in DIR older than N days (never manual ones)' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from backup" -l database-url -d 'The database: `sqlite://PATH` (created on first start) or `postgres://…`' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from backup" -l vuln-db -d 'The server\'s vulnerability database (built by `trusca server db update|import`)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from backup" -l automatic -d 'Mark this backup automatic (for scheduled jobs), so that retention may remove it'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from backup" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from restore" -l database-url -d 'The database: `sqlite://PATH` (created on first start) or `postgres://…`' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from restore" -l vuln-db -d 'The server\'s vulnerability database (built by `trusca server db update|import`)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from restore" -l confirm -d 'Really replace the data'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from restore" -l accept-broken-audit-chain -d 'Restore a backup whose audit log was changed out of band (its hash chain is broken) instead of refusing it; the restore says so loudly and records it'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from db" -l database-url -d 'The database: `sqlite://PATH` (created on first start) or `postgres://…`' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from db" -l vuln-db -d 'The server\'s vulnerability database (built by `trusca server db update|import`)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from db" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from db" -f -a "update" -d 'Download OSV data (`<mirror>/<Ecosystem>/all.zip`), rebuild the database and re-match'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from db" -f -a "import" -d 'Build the database from OSV zips, record files or directories, and re-match'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from db" -f -a "status" -d 'Show the database\'s build time, source and size, and the last refreshes'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from db" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from audit" -l database-url -d 'The database: `sqlite://PATH` (created on first start) or `postgres://…`' -r
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from audit" -l vuln-db -d 'The server\'s vulnerability database (built by `trusca server db update|import`)' -r -F
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from audit" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Walk the audit log\'s hash chain and name the first row edited, inserted or deleted out of band (exit 2 when there is one)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from audit" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Apply database migrations and exit'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "admin" -d 'Manage users, teams and API keys directly in the database'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "backup" -d 'Back up the database (while the server runs) into DIR/trusca-backup-<UTC time>/'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Restore a backup, replacing all data. Stop the server first: it must not run meanwhile. Without --confirm, only checks the backup and says what would be replaced'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "db" -d 'Build or inspect the server\'s vulnerability database; after a build every project is matched again'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "audit" -d 'Check the audit log'
complete -c trusca -n "__fish_trusca_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand completions" -s h -l help -d 'Print help'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "scan" -d 'Scan a directory or git repository for third-party components'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "sbom" -d 'Write an SBOM of a directory or git repository (`scan` with an SBOM format)'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "db" -d 'Manage the local vulnerability database (OSV data)'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "upload" -d 'Upload a scan result or CycloneDX SBOM to a trusca server'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "policy" -d 'The team policy a trusca server keeps'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "key" -d 'Signing keys for attestations'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "attest" -d 'Scan, then write a signed in-toto attestation of the SBOM or result (a DSSE envelope)'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "verify" -d 'Check an attestation\'s signature with a trusted public key, and what it says'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "server" -d 'Run the trusca team server, migrate its database, or administer it'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "completions" -d 'Print shell completions'
complete -c trusca -n "__fish_trusca_using_subcommand help; and not __fish_seen_subcommand_from scan sbom db upload policy key attest verify server completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "update" -d 'Download OSV data (`<mirror>/<Ecosystem>/all.zip`) and rebuild the database; unchanged ecosystems are not downloaded again'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "import" -d 'Build the database from OSV data on disk: a directory in the osv.dev layout, zips, or `*.json` records; replaces the whole database'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "status" -d 'Show the database path, build time, age, source, and per ecosystem the record count and update time'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "pull" -d 'Write the team\'s policy kept on the server as `trusca.toml`, so that local runs judge by the same policy and exceptions as the server'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "generate" -d 'Write a new key pair: `trusca.key` (PKCS#8 PEM, mode 0600; encrypted with the passphrase in `TRUSCA_KEY_PASSWORD` when it is set) and `trusca.pub` (SPKI PEM)'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "migrate" -d 'Apply database migrations and exit'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "admin" -d 'Manage users, teams and API keys directly in the database'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "backup" -d 'Back up the database (while the server runs) into DIR/trusca-backup-<UTC time>/'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "restore" -d 'Restore a backup, replacing all data. Stop the server first: it must not run meanwhile. Without --confirm, only checks the backup and says what would be replaced'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "db" -d 'Build or inspect the server\'s vulnerability database; after a build every project is matched again'
complete -c trusca -n "__fish_trusca_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "audit" -d 'Check the audit log'
