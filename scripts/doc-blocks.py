#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the commands the documentation shows, as a reader would.

  scripts/doc-blocks.py readme README.md --prefix P --work W
  scripts/doc-blocks.py ci docs/CI.md --prefix P --work W --src SRC

P is an installed prefix (make install DESTDIR=... PREFIX=...: P/bin holds
fwseal and fwsv); W is an empty directory to run in.  Prints one line
"SKIP: FILE:LINE: why" per block that cannot run here, says which block
failed, and exits with the failing block's status (0 when all ran).

readme: every ```sh block of the file, in order, in one bash -e script, in
W (so variables and the working directory carry from block to block, as
in a reader's terminal).  An HTML comment on the line(s) just before a
block's fence changes how it runs:
  <!-- readme-test: skip WHY -->    not run (say why: e.g. it builds or
                                    installs, which the test did already)
  <!-- readme-test: needs TOOL... -->   run only where every TOOL is a
                                    command on PATH (a package name with a
                                    '/' prefix, pkg/NAME, is looked up with
                                    dpkg-query); otherwise a SKIP line
A README section that needs a tool the test machine may lack (SoftHSM2,
an HSM, a second machine) declares it with `needs`.

ci: every ```yaml block of the file is parsed (a syntax error fails); a
GitHub Actions workflow (`jobs:` with `steps:`) runs each job's `run:`
steps, a GitLab CI file each job's before_script and script lines, with
the job's env/variables, in a fresh copy of a small firmware repository
made here: fwseal's source as third_party/fwseal, firmware/main.c and
link.ld, keys/release.pub, and the two secrets (a fresh passphrase-
protected signing key).  `uses:` steps (checkout, artifacts) are the CI
service's, not shell, and are left out.  sudo runs its command as is,
apt-get does nothing (the test machine has the packages), and make
install goes to a DESTDIR inside W.
"""
import base64
import os
import re
import shutil
import subprocess
import sys


def die(msg):
    print("doc-blocks: " + msg, file=sys.stderr)
    sys.exit(2)


def have(tool):
    if tool.startswith("pkg/"):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", tool[4:]],
                           capture_output=True, text=True)
        return r.returncode == 0 and "install ok installed" in r.stdout
    return shutil.which(tool) is not None


def blocks(path, lang):
    """(line, body, markers) for each ```lang block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```" + lang:
            start, markers, j = i + 1, [], i - 1
            while j >= 0 and lines[j].strip().startswith("<!--"):
                m = re.match(r"<!--\s*readme-test:\s*(\w+)\s*(.*?)\s*-->", lines[j].strip())
                if m:
                    markers.append((m.group(1), m.group(2)))
                j -= 1
            k = i + 1
            while k < len(lines) and lines[k].strip() != "```":
                k += 1
            if k == len(lines):
                die("%s:%d: the ```%s block never ends" % (path, start, lang))
            out.append((start, "\n".join(lines[i + 1:k]), markers))
            i = k
        i += 1
    return out


def run_script(script, cwd, env):
    r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env)
    return r.returncode


def readme(path, prefix, work):
    env = dict(os.environ, PATH=os.path.join(prefix, "bin") + os.pathsep + os.environ["PATH"])
    script, ran = [], 0
    for line, body, markers in blocks(path, "sh"):
        skip = None
        for kind, arg in markers:
            if kind == "skip":
                skip = arg or "marked skip"
            elif kind == "needs":
                missing = [t for t in arg.split() if not have(t)]
                if missing and not skip:
                    print("SKIP: %s:%d: needs %s (not here)" % (path, line, " ".join(missing)))
                    skip = "needs"
            else:
                die("%s:%d: unknown readme-test marker '%s'" % (path, line - 1, kind))
        if skip:
            continue
        script.append('printf "\\n==> %s:%d\\n" >&2\n%s\n' % (path, line, body))
        ran += 1
    if not ran:
        die("%s: no ```sh block to run" % path)
    print("doc-blocks: %d blocks of %s" % (ran, path))
    return run_script("\n".join(script), work, env)


FIRMWARE_C = """int counter = 3;
void _start(void);
void _start(void) { for (;;) counter++; }
"""
FIRMWARE_LD = """MEMORY { FLASH (rx) : ORIGIN = 0x08010000, LENGTH = 256K
         RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 64K }
ENTRY(_start)
SECTIONS { .text : { *(.text*) *(.rodata*) } > FLASH
           .data : { *(.data*) } > RAM AT > FLASH
           .bss : { *(.bss*) } > RAM }
"""


def ci_repo(work, src, fwseal, name):
    """A fresh firmware repository and the secrets for one job."""
    repo = os.path.join(work, name)
    os.makedirs(os.path.join(repo, "third_party"))
    os.makedirs(os.path.join(repo, "firmware"))
    os.makedirs(os.path.join(repo, "keys"))
    os.symlink(src, os.path.join(repo, "third_party", "fwseal"))
    open(os.path.join(repo, "firmware", "main.c"), "w").write(FIRMWARE_C)
    open(os.path.join(repo, "firmware", "link.ld"), "w").write(FIRMWARE_LD)
    secrets = os.path.join(work, name + "-secrets")
    os.makedirs(secrets)
    passphrase = base64.b64encode(os.urandom(18)).decode()
    env = dict(os.environ, FWSEAL_RELEASE_PASSPHRASE=passphrase)
    subprocess.run([fwseal, "keygen", "--type", "ed25519", "-o", "release",
                    "--passphrase-env", "FWSEAL_RELEASE_PASSPHRASE"],
                   cwd=secrets, env=env, check=True, capture_output=True)
    shutil.copy(os.path.join(secrets, "release.pub"), os.path.join(repo, "keys"))
    key = base64.b64encode(open(os.path.join(secrets, "release.key"), "rb").read()).decode()
    return repo, {"FWSEAL_RELEASE_KEY": key, "FWSEAL_RELEASE_PASSPHRASE": passphrase}


def ci_env(work, name, secrets, variables):
    """The job's environment: shims for sudo and apt-get, fwseal installed
    under W's DESTDIR on PATH, CI's own variables, the job's."""
    shims = os.path.join(work, name + "-shims")
    os.makedirs(shims)
    for tool, body in (("sudo", 'exec "$@"'),
                       ("apt-get", 'echo "apt-get $*: not run by the test" >&2')):
        p = os.path.join(shims, tool)
        open(p, "w").write("#!/bin/sh\n" + body + "\n")
        os.chmod(p, 0o755)
    dest = os.path.join(work, name + "-dest")
    env = dict(os.environ, DESTDIR=dest, GITHUB_RUN_NUMBER="7", CI_PIPELINE_IID="7",
               PATH=os.pathsep.join([shims, dest + "/usr/local/bin", os.environ["PATH"]]))
    env.pop("MAKEFLAGS", None), env.pop("MFLAGS", None), env.pop("MAKELEVEL", None)
    for k, v in (variables or {}).items():
        v = str(v)
        def secret(m):
            if m.group(1) not in secrets:
                die("job %s: ${{ secrets.%s }}: no such secret in the test" % (name, m.group(1)))
            return secrets[m.group(1)]
        v = re.sub(r"\$\{\{\s*secrets\.(\w+)\s*\}\}", secret, v)
        if "${{" in v:
            die("job %s: %s: only ${{ secrets.NAME }} expressions are supported" % (name, k))
        env[k] = v
    env.update(secrets)
    return env


def ci(path, prefix, work, src):
    import yaml
    fwseal = os.path.join(prefix, "bin", "fwseal")
    jobs = 0
    for line, body, _ in blocks(path, "yaml"):
        try:
            doc = yaml.safe_load(body)
        except yaml.YAMLError as e:
            die("%s:%d: not YAML: %s" % (path, line, e))
        if isinstance(doc, dict) and "jobs" in doc:           # GitHub Actions
            for name, job in doc["jobs"].items():
                steps = [s["run"] for s in job["steps"] if "run" in s]
                if not steps:
                    die("%s:%d: job %s has no run step" % (path, line, name))
                yield path, line, "github-" + name, steps, job.get("env")
        elif isinstance(doc, dict):                            # GitLab CI
            for name, job in doc.items():
                if not isinstance(job, dict) or "script" not in job:
                    continue
                steps = list(job.get("before_script", [])) + list(job["script"])
                yield path, line, "gitlab-" + name, steps, job.get("variables")
        else:
            die("%s:%d: a YAML block that is neither a workflow nor a .gitlab-ci.yml" % (path, line))


def run_ci(path, prefix, work, src):
    fwseal = os.path.join(prefix, "bin", "fwseal")
    n = 0
    for p, line, name, steps, variables in ci(path, prefix, work, src):
        repo, secrets = ci_repo(work, src, fwseal, name)
        env = ci_env(work, name, secrets, variables)
        print("doc-blocks: %s:%d: job %s, %d steps" % (p, line, name, len(steps)))
        rc = run_script("\n".join(steps), repo, env)
        if rc:
            print("doc-blocks: %s:%d: job %s failed (exit %d)" % (p, line, name, rc),
                  file=sys.stderr)
            return rc
        for artifact in ("out/app.fws", "out/verdict.json", "out/pack.json"):
            if not os.path.exists(os.path.join(repo, artifact)):
                die("job %s: no %s at the end" % (name, artifact))
        if os.path.exists(os.path.join(repo, "release.key")):
            die("job %s: the signing key was left in the workspace" % name)
        n += 1
    if n < 2:
        die("%s: %d CI jobs, expected a GitHub and a GitLab one" % (path, n))
    return 0


def main(argv):
    import argparse
    a = argparse.ArgumentParser()
    a.add_argument("mode", choices=["readme", "ci"])
    a.add_argument("file")
    a.add_argument("--prefix", required=True)
    a.add_argument("--work", required=True)
    a.add_argument("--src")
    o = a.parse_args(argv)
    if o.mode == "readme":
        return readme(o.file, os.path.abspath(o.prefix), os.path.abspath(o.work))
    if not o.src:
        die("ci needs --src (fwseal's source tree)")
    return run_ci(o.file, os.path.abspath(o.prefix), os.path.abspath(o.work),
                  os.path.abspath(o.src))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
