"""packaging: the .deb, the installed layout and the deploy/ files (issue 5, "Deployment").

karirbot is built twice from a copy of the source tree in a temporary directory, so that no
binary can fall back on the tree the suite runs from (a binary prefers the source tree it was
built from while that tree exists: src/base/config.c):

  1. as the package is built (deploy/README.md: prefix /usr, `cpack -G DEB`): `dpkg-deb -c`
     lists the expected files and nothing outside /usr and /lib/systemd; `dpkg-deb -I` shows
     Depends computed by dpkg-shlibdeps (libuv, libcurl, cJSON, SQLite, libsodium); apt can
     resolve them (`apt-get -s`); a staged `DESTDIR=... cmake --install` gives a binary whose
     compiled-in data directory is the one the package fills (/usr/share/karirbot).
  2. with a prefix inside the temporary directory: `cmake --install`, then the source copy is
     moved away and the installed binary runs `check` and the demo chat on its installed data,
     with KARIRBOT_DATA_DIR unset; every command's --help answers; `systemd-analyze verify`
     accepts the installed unit (skipped with a note where systemd-analyze is missing).

Static checks besides: the man page documents every command and every setting that
`karirbot help` lists (and nothing that no longer exists), and groff formats it without a
warning; the Dockerfile has its required parts (two stages on debian:12-slim, CMake in the
build stage, a non-root USER, a VOLUME for the database, the token as a file, no secret).

Figures (build and package time, package size, systemd's exposure score) are printed, never
asserted. Usage: test_packaging.py --source-dir DIR [--keep] [--jobs N]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

DEPENDS = [  # (what, a regular expression for the package name in Depends)
    ("libuv", r"libuv1"),
    ("libcurl", r"libcurl(4|3-gnutls|3-nss)"),
    ("cJSON", r"libcjson1"),
    ("SQLite", r"libsqlite3-0"),
    ("libsodium", r"libsodium\d+"),
    ("CA certificates", r"ca-certificates"),
]

# Files of the package outside the shipped data (which is compared with the source tree).
PACKAGE_FILES = [
    "usr/bin/karirbot",
    "lib/systemd/system/karirbot.service",
    "usr/share/man/man1/karirbot.1.gz",
    "usr/share/doc/karirbot/copyright",
    "usr/share/doc/karirbot/README.md",
    "usr/share/doc/karirbot/examples/karirbot.env",
    "usr/share/karirbot/demo/demo.sql",
]


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def run(cmd, what, cwd=None, env=None, input_text=None, ok=(0,), timeout=900):
    """Runs cmd; on an exit status outside ok raises Failure with its output."""
    p = subprocess.run(cmd, cwd=cwd, env=env, input=input_text, capture_output=True, text=True,
                       timeout=timeout)
    if p.returncode not in ok:
        raise Failure(f"{what}: `{' '.join(cmd)}` exited {p.returncode}\n"
                      f"--- stdout\n{p.stdout[-4000:]}\n--- stderr\n{p.stderr[-4000:]}")
    return p


def clean_env(**extra):
    """The environment without any KARIRBOT_ setting (the installed binary must need none)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KARIRBOT_")}
    env.pop("CREDENTIALS_DIRECTORY", None)
    env.update(extra)
    return env


def copy_source(src, dst):
    """The files a build needs, without build directories, databases or caches."""
    def ignore(directory, names):
        skip = {n for n in names if n in (".git", "__pycache__")
                or n.endswith((".db", ".db-wal", ".db-shm", ".pyc"))}
        rel = os.path.relpath(directory, src)
        if rel == ".":
            skip |= {n for n in names if n.startswith("build")}
        elif rel == os.path.join("tests", "bench"):
            skip |= {"out"} & set(names)  # benchmark output
        return skip
    shutil.copytree(src, dst, ignore=ignore, symlinks=True)


def build(src, bdir, prefix, jobs):
    """Builds the karirbot target only (the man page comes with it). The install step, and
    cpack's, would build every target, tests included: CMAKE_SKIP_INSTALL_ALL_DEPENDENCY spares
    the test that time without changing what is installed."""
    run(["cmake", "-S", src, "-B", bdir, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
         f"-DCMAKE_INSTALL_PREFIX={prefix}", "-DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON"],
        "configure")
    run(["cmake", "--build", bdir, f"-j{jobs}", "--target", "karirbot"], "build")


def shipped_files(src):
    """Every file under dialogs/ and locales/ of the source, as the package must hold them."""
    out = set()
    for top in ("dialogs", "locales"):
        for root, _dirs, files in os.walk(os.path.join(src, top)):
            for name in files:
                rel = os.path.relpath(os.path.join(root, name), src)
                out.add("usr/share/karirbot/" + rel)
    return out


def defaults_dir_of(binary, env):
    """The shipped-files directory `karirbot check` reports, and its exit status."""
    p = subprocess.run([binary, "check"], env=env, capture_output=True, text=True, timeout=120)
    m = re.search(r"shipped files in (\S+), your edits in", p.stdout)
    check(m, f"`karirbot check` did not say where the shipped files are:\n{p.stdout}{p.stderr}")
    return m.group(1).rstrip(","), p


# ---- 1. the package ---------------------------------------------------------------------------

def check_package(src, tmp, jobs):
    bdir = os.path.join(tmp, "build-deb")
    t0 = time.monotonic()
    build(src, bdir, "/usr", jobs)
    t1 = time.monotonic()
    run(["cpack", "-G", "DEB"], "cpack", cwd=bdir)
    t2 = time.monotonic()
    debs = [f for f in os.listdir(bdir) if f.endswith(".deb")]
    check(len(debs) == 1, f"cpack made {debs}, not one .deb")
    deb = os.path.join(bdir, debs[0])
    print(f"package: {debs[0]}, {os.path.getsize(deb) / 1024:.0f} KiB; build {t1 - t0:.0f} s, "
          f"cpack {t2 - t1:.0f} s")

    listing = run(["dpkg-deb", "-c", deb], "dpkg-deb -c").stdout
    entries = {}
    for line in listing.splitlines():
        fields = line.split(None, 5)
        path = fields[5].split(" -> ")[0]
        entries[path[2:].rstrip("/") if path.startswith("./") else path] = fields[0]
    files = {p for p, mode in entries.items() if not mode.startswith("d")}
    expected = set(PACKAGE_FILES) | shipped_files(src)
    missing = sorted(expected - files)
    check(not missing, f"the .deb lacks {missing}")
    extra = sorted(files - expected)
    check(not extra, f"the .deb holds files nobody expects: {extra}")
    check(entries["usr/bin/karirbot"].startswith("-rwxr-xr-x"),
          f"/usr/bin/karirbot is {entries['usr/bin/karirbot']}")
    outside = sorted(p for p in entries if p not in ("", "lib", "lib/systemd")
                     and not p.startswith(("usr/", "lib/systemd/")) and p != "usr")
    check(not outside, f"the .deb installs outside /usr and /lib/systemd: {outside}")
    print(f"dpkg-deb -c: {len(files)} files, as expected")

    info = run(["dpkg-deb", "-I", deb], "dpkg-deb -I").stdout
    m = re.search(r"^ Depends: (.*)$", info, re.M)
    check(m, f"the .deb has no Depends:\n{info}")
    names = [d.strip().split()[0] for alt in m.group(1).split(",") for d in alt.split("|")]
    for what, pattern in DEPENDS:
        check(any(re.fullmatch(pattern, n) for n in names),
              f"Depends lacks {what} ({pattern}): {m.group(1)}")
    print(f"Depends: {m.group(1)}")
    check(re.search(r"^ Package: karirbot$", info, re.M), "the package is not named karirbot")

    if shutil.which("apt-get"):
        p = subprocess.run(["apt-get", "-s", "install", deb], capture_output=True, text=True,
                           timeout=300)
        check(p.returncode == 0, f"apt-get -s install cannot resolve the package:\n"
                                 f"{p.stdout[-3000:]}{p.stderr[-3000:]}")
        print("apt-get -s install: the Depends resolve")

    # The unit in the package runs the packaged binary.
    extracted = os.path.join(tmp, "deb")
    run(["dpkg-deb", "-x", deb, extracted], "dpkg-deb -x")
    with open(os.path.join(extracted, "lib/systemd/system/karirbot.service"),
              encoding="utf-8") as f:
        check("\nExecStart=/usr/bin/karirbot run\n" in f.read(),
              "the packaged unit does not run /usr/bin/karirbot")

    # A staged install from the same build: the binary looks for its data exactly where the
    # package puts it (with the source copy gone, nothing else can answer).
    stage = os.path.join(tmp, "stage")
    run(["cmake", "--install", bdir], "staged install", env=dict(os.environ, DESTDIR=stage))
    for rel in PACKAGE_FILES:
        check(os.path.isfile(os.path.join(stage, rel)), f"the staged install lacks /{rel}")
    return os.path.join(stage, "usr/bin/karirbot")


# ---- 2. an installed binary on its installed data --------------------------------------------

def check_installed(src, tmp, jobs):
    bdir = os.path.join(tmp, "build-prefix")
    prefix = os.path.join(tmp, "prefix")
    t0 = time.monotonic()
    build(src, bdir, prefix, jobs)
    print(f"second build (prefix {prefix}): {time.monotonic() - t0:.0f} s")
    run(["cmake", "--install", bdir], "cmake --install")
    binary = os.path.join(prefix, "bin", "karirbot")
    data = os.path.join(prefix, "share", "karirbot")
    unitdir = os.path.join(prefix, "lib", "systemd", "system")
    for path in (binary, os.path.join(data, "dialogs", "start.json"),
                 os.path.join(data, "locales", "id.json"), os.path.join(data, "demo", "demo.sql"),
                 os.path.join(prefix, "share", "man", "man1", "karirbot.1.gz"),
                 os.path.join(prefix, "share", "doc", "karirbot", "examples", "karirbot.env"),
                 os.path.join(unitdir, "karirbot.service")):
        check(os.path.exists(path), f"cmake --install did not install {path}")
    with open(os.path.join(unitdir, "karirbot.service"), encoding="utf-8") as f:
        check(f"ExecStart={binary} run" in f.read(),
              "the installed unit does not run the installed binary")
    return binary, prefix


def check_installed_runs(binary, prefix, tmp):
    env = clean_env()
    data = os.path.join(prefix, "share", "karirbot")
    where, p = defaults_dir_of(binary, env)
    check(p.returncode == 0, f"the installed `karirbot check` failed:\n{p.stdout}{p.stderr}")
    check(where == data, f"the installed binary read its shipped files from {where}, not {data}")
    print(f"installed binary: {p.stdout.strip().splitlines()[-1]} (shipped files in {where})")

    db = os.path.join(tmp, "demo.db")
    p = run([binary, "chat", "--demo", "--db", db], "the installed demo chat", env=env,
            input_text="/start\n", timeout=120)
    check(len(p.stdout.strip()) > 20, f"the installed demo chat said nothing:\n{p.stdout}")
    print(f"installed demo chat: {len(p.stdout.splitlines())} lines for /start")

    commands, settings = help_lists(binary, env)
    for name in commands:
        if name in ("run", "version", "help"):
            continue
        q = subprocess.run([binary, name, "--help"], env=env, capture_output=True, text=True,
                           timeout=60, cwd=tmp)
        check(q.returncode == 0 and (q.stdout + q.stderr).strip(),
              f"`karirbot {name} --help` exited {q.returncode} or printed nothing")
    print(f"--help: all {len(commands) - 3} commands answer")
    return commands, settings


def help_lists(binary, env):
    """The commands and the settings `karirbot help` lists."""
    p = run([binary, "help"], "karirbot help", env=env)
    text = p.stdout + p.stderr
    block = text.split("Commands:", 1)[1].split("\n\n", 1)[0]
    commands = [m.group(1) for m in re.finditer(r"^  ([a-z][a-z-]*)\s", block, re.M)]
    settings = sorted(set(re.findall(r"^\s+KARIRBOT_([A-Z0-9_]+)\s", text, re.M)))
    check("run" in commands and "check" in commands and len(settings) > 10,
          f"could not read the commands and settings from `karirbot help`:\n{text}")
    return commands, settings


def check_unit(prefix, tmp):
    if not shutil.which("systemd-analyze"):
        print("NOTE: systemd-analyze not found: `systemd-analyze verify` on the unit skipped")
        return
    unit = os.path.join(prefix, "lib", "systemd", "system", "karirbot.service")
    # verify runs `man karirbot(1)` for Documentation=; MANPATH finds the installed page.
    env = dict(os.environ, MANPATH=os.path.join(prefix, "share", "man"))
    if not shutil.which("man"):
        print("NOTE: man not found: the unit's Documentation= is not verified")
        copy = os.path.join(tmp, "karirbot.service")
        with open(unit, encoding="utf-8") as f, open(copy, "w", encoding="utf-8") as out:
            out.writelines(ln for ln in f if not ln.startswith("Documentation="))
        unit = copy
    p = subprocess.run(["systemd-analyze", "verify", unit], env=env, capture_output=True,
                       text=True, timeout=120)
    ours = [ln for ln in (p.stdout + p.stderr).splitlines() if "karirbot" in ln]
    check(p.returncode == 0 and not ours,
          f"systemd-analyze verify rejects the unit (exit {p.returncode}):\n{p.stdout}{p.stderr}")
    print("systemd-analyze verify: the unit is clean")
    p = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit], env=env,
                       capture_output=True, text=True, timeout=120)
    m = re.search(r"Overall exposure level for \S+: (\S+ \S+)", p.stdout + p.stderr)
    if m:
        print(f"systemd-analyze security: exposure {m.group(1)} (0 is best, 10 worst)")


# ---- static checks ---------------------------------------------------------------------------

def check_man_page(src, commands, settings):
    path = os.path.join(src, "deploy", "karirbot.1")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    documented = re.findall(r"^\.SS +\"?([a-z][a-z-]*)", text, re.M)
    missing = [c for c in commands if c not in documented]
    check(not missing, f"deploy/karirbot.1 has no .SS section for the commands {missing} "
                       "(`karirbot help` lists them)")
    stale = [c for c in documented if c not in commands]
    check(not stale, f"deploy/karirbot.1 documents commands `karirbot help` does not list: {stale}")
    in_man = set(re.findall(r"^\.B[RI]? +KARIRBOT_([A-Z0-9_]+)", text, re.M))
    missing = [s for s in settings if s not in in_man]
    check(not missing, f"deploy/karirbot.1 does not describe the settings {missing}")
    stale = sorted(in_man - set(settings))
    check(not stale, f"deploy/karirbot.1 describes settings that no longer exist: {stale}")
    print(f"man page: {len(commands)} commands and {len(settings)} settings documented")
    if not shutil.which("groff"):
        print("NOTE: groff not found: the man page's formatting was not checked")
        return
    p = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", path], capture_output=True,
                       text=True, timeout=60)
    check(p.returncode == 0 and not p.stderr.strip(),
          f"groff warns about deploy/karirbot.1:\n{p.stderr}")
    print("man page: groff formats it without warnings")


def dockerfile_stages(path):
    """The Dockerfile as a list of stages, each a list of (INSTRUCTION, arguments)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    instructions, cur = [], ""
    for line in lines:
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if cur and line.lstrip().startswith("#"):
            continue  # a comment inside a continued instruction
        cur += line.rstrip()[:-1] + " " if line.rstrip().endswith("\\") else line
        if not line.rstrip().endswith("\\"):
            word, _, rest = cur.strip().partition(" ")
            instructions.append((word.upper(), rest.strip()))
            cur = ""
    stages = []
    for ins in instructions:
        if ins[0] == "FROM":
            stages.append([])
        check(stages, f"{path}: {ins[0]} before the first FROM")
        stages[-1].append(ins)
    return stages


def check_dockerfile(src):
    path = os.path.join(src, "deploy", "Dockerfile")
    stages = dockerfile_stages(path)
    check(len(stages) >= 2, "deploy/Dockerfile is not multi-stage")
    for st in stages:
        base = st[0][1].split()[0]
        check(base == "debian:12-slim", f"deploy/Dockerfile: a stage is FROM {base}, "
                                        "not debian:12-slim")
    build_text = " ".join(a for st in stages[:-1] for _, a in st)
    check("cmake -S" in build_text and "cmake --build" in build_text,
          "deploy/Dockerfile: the build stage does not build with the repository's CMake")
    final = stages[-1]
    users = [a for i, a in final if i == "USER"]
    check(users, "deploy/Dockerfile: the runtime stage has no USER (it would run as root)")
    user = users[-1].split(":")[0]
    check(user not in ("root", "0"), f"deploy/Dockerfile: the runtime stage runs as {user}")
    volumes = " ".join(a for i, a in final if i == "VOLUME")
    check("/var/lib/karirbot" in volumes, "deploy/Dockerfile: no VOLUME for /var/lib/karirbot")
    envs = " ".join(a for i, a in final if i == "ENV")
    check(re.search(r"KARIRBOT_DB=/var/lib/karirbot/", envs),
          "deploy/Dockerfile: the database is not in the volume (KARIRBOT_DB)")
    check(re.search(r"KARIRBOT_TOKEN_FILE=/run/secrets/", envs),
          "deploy/Dockerfile: the token is not read from a secret file (KARIRBOT_TOKEN_FILE)")
    run_final = " ".join(a for i, a in final if i == "RUN")
    check(not re.search(r"-dev\b|build-essential|\bcmake\b|\bgcc\b", run_final),
          "deploy/Dockerfile: the runtime stage installs build tools or -dev packages")
    for st in stages:
        for ins, args in st:
            check(not re.search(r"\bKARIRBOT_TOKEN\s*=|\bKARIRBOT_TOKEN\s+\S", args)
                  or ins not in ("ENV", "ARG"),
                  f"deploy/Dockerfile: the token is set in an image layer ({ins} {args})")
            check(not (ins == "ARG" and re.search(r"token|secret|password", args, re.I)),
                  f"deploy/Dockerfile: a secret as a build argument ({ins} {args})")
            if ins in ("COPY", "ADD"):
                parts = [p for p in args.split() if not p.startswith("--")]
                check(not any(re.search(r"token|secret|\.env$", p, re.I) for p in parts[:-1]),
                      f"deploy/Dockerfile: copies a secret into the image ({ins} {args})")
                if "--from=" not in args:
                    for p in parts[:-1]:
                        check(os.path.exists(os.path.join(src, p)),
                              f"deploy/Dockerfile: COPY {p}: no such file in the repository")
    print(f"Dockerfile: {len(stages)} stages on debian:12-slim, runtime as {users[-1]}, "
          f"VOLUME {volumes}, token from a file (not built here: no Docker daemon in the suite)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    for tool in ("cmake", "cpack", "dpkg-deb", "dpkg-shlibdeps"):
        if not shutil.which(tool):
            print(f"FAIL: {tool} not found (deploy/install-deps.sh installs it)")
            return 1
    source = os.path.abspath(args.source_dir)
    tmp = tempfile.mkdtemp(prefix="karirbot-packaging-")
    ok = False
    try:
        src = os.path.join(tmp, "src")
        copy_source(source, src)
        # Static checks first: they are quick.
        check_dockerfile(src)
        staged = check_package(src, tmp, args.jobs)
        binary, prefix = check_installed(src, tmp, args.jobs)
        check_unit(prefix, tmp)
        # Where the binaries find their data once no source tree answers for them.
        moved = src + ".moved"
        os.rename(src, moved)
        where, _ = defaults_dir_of(staged, clean_env())
        check(where == "/usr/share/karirbot",
              f"the packaged binary looks for its data in {where}, not /usr/share/karirbot")
        print("packaged binary: looks for its data in /usr/share/karirbot, where the .deb "
              "puts it")
        commands, settings = check_installed_runs(binary, prefix, tmp)
        os.rename(moved, src)
        where, _ = defaults_dir_of(binary, clean_env())
        print(f"NOTE: with its source tree present, the installed binary reads shipped files "
              f"from {'the source tree' if where == src else where}")
        check_man_page(src, commands, settings)
        ok = True
    except Failure as e:
        print(f"FAIL: {e}")
    except subprocess.TimeoutExpired as e:
        print(f"FAIL: timed out: {e}")
    except Exception:  # noqa: BLE001 (a crash of the test is a failure with its traceback)
        traceback.print_exc()
        print("FAIL: the test itself failed")
    finally:
        if ok and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")
    print("PASS" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
