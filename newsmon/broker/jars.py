"""Java and the Kafka jars: finding Java 17+, fetching the jars with Maven once (see `newsmon.broker.manager`)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from newsmon.broker.config import (
    JAVA_HINT,
    LOG_TAIL_LINES,
    MIN_JAVA,
    POM_FILE,
    BrokerConfig,
    BrokerError,
    Log,
    _locked,
    _write_atomic,
    kafka_version,
)

# --------------------------------------------------------------------------- java and jars


def find_java() -> Path:
    """The ``java`` to use: ``$JAVA_HOME/bin/java`` if present, else the one on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return Path(java_home) / "bin" / "java"
    found = shutil.which("java")
    if not found:
        raise BrokerError(
            f"newsmon needs Java {MIN_JAVA}+ to run the local Kafka broker, and no `java` "
            f"was found on PATH or in JAVA_HOME; {JAVA_HINT}"
        )
    return Path(found)


@lru_cache(maxsize=8)
def _java_version_text(java: Path) -> str:
    """What ``java -version`` prints (it prints to stderr)."""
    try:
        done = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BrokerError(f"could not run `{java} -version` ({exc}); {JAVA_HINT}") from exc
    return (done.stderr + done.stdout).strip()


def java_major_version(java: Path) -> int:
    """Major version of ``java`` (8 for 1.8, 17 for 17.0.x, ...)."""
    text = _java_version_text(java)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not match:
        raise BrokerError(f"could not tell the Java version from `{java} -version`:\n{text}")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_392" style
        major = int(match.group(2))
    return major


def check_java() -> Path:
    """Return a usable ``java`` or raise :class:`BrokerError` saying what to install."""
    java = find_java()
    major = java_major_version(java)
    if major < MIN_JAVA:
        raise BrokerError(
            f"newsmon needs Java {MIN_JAVA}+ to run the local Kafka broker, but {java} is Java {major}; {JAVA_HINT}"
        )
    return java


def _pom_digest() -> str:
    return hashlib.sha256(POM_FILE.read_bytes()).hexdigest()


def jars_ready(cfg: BrokerConfig) -> bool:
    """True if :func:`ensure_jars` has already completed for the packaged pom.xml."""
    marker = cfg.cache_dir / "libs.complete"
    try:
        return marker.read_text().strip() == _pom_digest() and cfg.libs_dir.is_dir()
    except OSError:
        return False


def ensure_jars(cfg: BrokerConfig, log: Log = print) -> Path:
    """Download the broker's jars into ``cfg.cache_dir/libs`` once; return that directory.

    A marker file holding the pom.xml's digest records a completed download, so
    a later call returns at once, and a changed pom.xml downloads afresh.
    """
    if jars_ready(cfg):
        return cfg.libs_dir
    with _locked(cfg.cache_dir):
        if jars_ready(cfg):  # another process finished it while we waited
            return cfg.libs_dir
        mvn = shutil.which("mvn")
        if not mvn:
            raise BrokerError(
                f"newsmon needs Maven (`mvn`) once, to download the Kafka {kafka_version()} "
                f"jars from Maven Central into {cfg.libs_dir}; install maven "
                f"(e.g. `apt-get install maven`) or set NEWSMON_KAFKA_BOOTSTRAP "
                f"to use an existing cluster"
            )
        pom = cfg.cache_dir / "pom.xml"
        shutil.copyfile(POM_FILE, pom)
        partial = cfg.cache_dir / "libs.partial"
        shutil.rmtree(partial, ignore_errors=True)
        log(f"Downloading the Kafka {kafka_version()} jars with Maven into {cfg.libs_dir} (once)...")
        command = [
            mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
            "-DincludeScope=runtime", f"-DoutputDirectory={partial}",
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
        except subprocess.TimeoutExpired as exc:
            raise BrokerError("Maven did not finish downloading the Kafka jars in 30 minutes") from exc
        if done.returncode != 0 or not any(partial.glob("kafka_2.13-*.jar")):
            output = "\n".join((done.stdout + done.stderr).splitlines()[-LOG_TAIL_LINES:])
            raise BrokerError(
                f"Maven could not download the Kafka jars (exit code {done.returncode}); "
                f"check the network access to Maven Central. Command: {' '.join(command)}\n"
                f"{output}"
            )
        shutil.rmtree(cfg.libs_dir, ignore_errors=True)
        os.replace(partial, cfg.libs_dir)
        for archive in cfg.cache_dir.glob("*.jsa"):  # made for the old jars
            archive.unlink()
        _write_atomic(cfg.cache_dir / "libs.complete", _pom_digest() + "\n")
        log(f"Kafka jars ready in {cfg.libs_dir}")
    return cfg.libs_dir


def _classpath(libs: Path) -> str:
    # An explicit, sorted list (not libs/*) keeps the class path identical from
    # run to run, which the class-data-sharing archive relies on.
    return os.pathsep.join(str(jar) for jar in sorted(libs.glob("*.jar")))


