"""Throw-away clusters on this machine for the tests, bound to 127.0.0.1: a one-node Slurm
cluster (munged, slurmctld, slurmd with a generated config in a temporary folder) and a Ray head.

Each starter is a context manager that stops every daemon it started (by its own pid, never by
name), also when the test fails. Slurm needs Debian's ``slurm-wlm`` and ``munge`` (``make
slurm`` installs them; ``make test`` depends on it); when they are missing the Slurm test is
skipped, unless ``UPCONV_REQUIRE_CLUSTERS=1`` (set by ``make test``) makes that a failure.
docs/cluster.md gives the same recipe by hand.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
SLURM_PROGRAMS = ("munged", "slurmctld", "slurmd", "sbatch", "sinfo")
# Ray servers stay on the loopback interface only with this set in the head and the driver
RAY_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(programs: tuple[str, ...], how: str) -> None:
    """Skip (or fail, under ``make test``) when a program the test needs is not installed."""
    missing = [p for p in programs if shutil.which(p, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") is None]
    if missing:
        text = f"{', '.join(missing)} not installed; {how}"
        if os.environ.get("UPCONV_REQUIRE_CLUSTERS") == "1":
            pytest.fail(text)
        pytest.skip(text)


def _program(name: str) -> str:
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin") or name


def _stop(pid_file: Path, timeout: float = 20) -> None:
    """Stop the daemon whose pid is in ``pid_file`` (SIGTERM, then SIGKILL)."""
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        deadline = time.time() + timeout
        while time.time() < deadline:
            os.kill(pid, 0)
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)


SLURM_CONF = """\
ClusterName=upconvtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
SlurmUser={user}
SlurmdUser={user}
AuthType=auth/munge
AuthInfo=socket={dir}/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
StateSaveLocation={dir}/state
SlurmdSpoolDir={dir}/spool
SlurmctldPidFile={dir}/slurmctld.pid
SlurmdPidFile={dir}/slurmd.pid
SlurmctldLogFile={dir}/slurmctld.log
SlurmdLogFile={dir}/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
MaxArraySize=10001
NodeName={host} NodeAddr=127.0.0.1 NodeHostname={host} CPUs={cpus} RealMemory={mem} State=UNKNOWN
PartitionName=debug Nodes={host} Default=YES MaxTime=60 State=UP
"""


@contextlib.contextmanager
def slurm_cluster(folder: Path) -> Iterator[dict[str, str]]:
    """A one-node Slurm cluster on 127.0.0.1 with its own munged; yields the environment a
    client (``sbatch``, submitit) needs (``SLURM_CONF``). Everything lives in ``folder``."""
    require(SLURM_PROGRAMS, "run `make slurm` (Debian slurm-wlm and munge) or see docs/cluster.md")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # munged refuses a socket folder others can write to
    for sub in ("state", "spool"):
        (folder / sub).mkdir(exist_ok=True)
    key = folder / "munge.key"
    key.write_bytes(os.urandom(1024))  # a private key: no system munged or /etc/munge needed
    key.chmod(0o400)
    host = socket.gethostname().split(".")[0]
    mem = min(4000, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20 - 500)
    conf = folder / "slurm.conf"
    conf.write_text(SLURM_CONF.format(host=host, ctld_port=free_port(), d_port=free_port(), user=getpass.getuser(),
                                      dir=folder, cpus=os.cpu_count() or 1, mem=mem))
    env = {**os.environ, "SLURM_CONF": str(conf)}
    started: list[Path] = []
    try:
        subprocess.run([_program("munged"), "--force", f"--socket={folder}/munge.sock", f"--key-file={key}",
                        f"--log-file={folder}/munged.log", f"--pid-file={folder}/munged.pid",
                        f"--seed-file={folder}/munged.seed"], check=True, capture_output=True, timeout=30)
        started.append(folder / "munged.pid")
        subprocess.run([_program("slurmctld"), "-c"], check=True, capture_output=True, timeout=30, env=env)
        started.append(folder / "slurmctld.pid")
        subprocess.run([_program("slurmd")], check=True, capture_output=True, timeout=30, env=env)
        started.append(folder / "slurmd.pid")
        deadline = time.time() + 60
        state = ""
        while time.time() < deadline:
            res = subprocess.run(["sinfo", "-h", "-N", "-o", "%T"], capture_output=True, text=True, timeout=30, env=env)
            state = res.stdout.strip()
            if state in ("idle", "mixed"):
                break
            time.sleep(0.5)
        assert state in ("idle", "mixed"), f"the Slurm node did not come up ({state!r}): {_logs(folder)}"
        yield {"SLURM_CONF": str(conf)}
    finally:
        for pid_file in reversed(started):  # slurmd, slurmctld, munged
            _stop(pid_file)


def _logs(folder: Path) -> str:
    return " | ".join(f"{p.name}: {p.read_text()[-800:]}" for p in sorted(folder.glob("*.log")))


@contextlib.contextmanager
def ray_head(num_cpus: int = 2) -> Iterator[dict[str, str]]:
    """A Ray head on 127.0.0.1; yields the environment a driver needs (``RAY_ADDRESS``). Stopped
    with ``ray stop`` (which stops the Ray processes this user started on this machine)."""
    env = {**os.environ, **RAY_ENV}
    port = free_port()
    ray = str(BIN / "ray")
    start = subprocess.run([ray, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
                            f"--ray-client-server-port={free_port()}", f"--num-cpus={num_cpus}",
                            "--include-dashboard=false", "--disable-usage-stats"],
                           check=False, capture_output=True, text=True, timeout=120, env=env)
    try:
        assert start.returncode == 0, start.stderr[-3000:]
        yield {**RAY_ENV, "RAY_ADDRESS": f"127.0.0.1:{port}"}
    finally:
        subprocess.run([ray, "stop", "--force"], check=False, capture_output=True, text=True, timeout=120, env=env)
