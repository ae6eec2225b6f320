"""Damage an index every way a disk or a user can, and count what is lost and what crashes.

The index holds the seed articles plus two added with `qa add`, so it is the only copy of two.
Each trial works on a fresh copy and then runs, through the CLI as a user would:
`qa search`, `qa add` (one more article), `qa remove` (that one), and `qa doctor --repair`.
Counted over all trials:
  - articles lost: of the 7 the index held (5 seeds, 2 added), how many are in no readable
    version once `qa doctor --repair` has run (set-aside `damaged-v-…` folders count as kept);
  - tracebacks: any Python traceback on stderr;
  - bad exits: an exit code other than 0 or 1.
HTTP: a live `qa serve` over a damaged copy gets a search, a write and a health call; any 5xx
other than 503 and 507 counts.

Faults: one flipped byte and a truncation of every file of the live version, CURRENT, the
manifest and its digest, and a kept article; a read-only index folder and a full disk (a
small tmpfs, so this step needs root and mount); SIGKILL during add, remove and rebuild.

Usage:
    python scripts/fault_injection.py --report docs/fault-injection.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tooling import launch  # noqa: E402

ADDED = {
    "harbour": "The harbour board voted on Tuesday to dredge the east channel before winter.",
    "orchard": "Growers in the valley said late frost had cut the apple harvest by a third.",
}
EXTRA = "The library reopened its reading room after a two-year renovation of the roof."
QUESTION = "Why did the harbour board vote to dredge the channel?"


def qa(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "QA_PRECISION": "float32"},
    )


def base_index(work: Path) -> tuple[Path, set[str]]:
    index = work / "base"
    done = qa("index", str(ROOT / "seeds"), "--index", str(index))
    assert done.returncode == 0, done.stderr
    for name, text in ADDED.items():
        path = work / f"{name}.txt"
        path.write_text(text)
        assert qa("add", str(path), "--index", str(index)).returncode == 0
        path.unlink()  # the index is the only copy now
    return index, held(index)


def held(index: Path) -> set[str]:
    """Doc ids in every version folder, live or set aside, that can be read, and kept files."""
    found: set[str] = set()
    for version in index.glob("*v-*"):
        with contextlib.suppress(OSError):
            for line in (version / "documents.jsonl").read_bytes().splitlines():
                with contextlib.suppress(ValueError, KeyError):
                    found.add(json.loads(line.decode("utf-8"))["doc_id"])
    from index.stores.kept import doc_id_of

    found |= {doc_id_of(p.name) for p in (index / "added").glob("*.json")}
    return found


def live_ids(index: Path) -> set[str]:
    from index.stores.versions import load_index

    return {d.doc_id for d in load_index(index).documents}


class Tally:
    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.exits: Counter[int] = Counter()

    def check(self, fault: str, step: str, done: subprocess.CompletedProcess[str]) -> dict:
        self.exits[done.returncode] += 1
        row = {
            "fault": fault,
            "step": step,
            "exit": done.returncode,
            "traceback": "Traceback" in done.stderr,
            "message": (done.stderr.strip().splitlines() or [""])[-1][:200],
        }
        self.rows.append(row)
        return row


def damage_trials(base: Path, expected: set[str], work: Path, tally: Tally) -> list[dict]:
    version = next(p for p in base.iterdir() if p.name.startswith("v-"))
    targets = [base / "CURRENT", *(p for p in sorted(version.rglob("*")) if p.is_file())]
    targets.append(next((base / "added").glob("*.json")))
    trials = []
    rng = random.Random(7)
    for target in targets:
        for fault in ("flip", "truncate"):
            copy = work / "trial"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
            path = copy / target.relative_to(base)
            data = bytearray(path.read_bytes())
            if fault == "flip" and data:
                data[rng.randrange(len(data))] ^= 0xFF
            else:
                data = data[: len(data) // 2]
            path.write_bytes(bytes(data))
            name = f"{fault} {target.relative_to(base)}"
            extra = work / "library.txt"
            extra.write_text(EXTRA)
            tally.check(name, "search", qa("search", QUESTION, "--index", str(copy)))
            tally.check(name, "add", qa("add", str(extra), "--index", str(copy)))
            tally.check(name, "remove", qa("remove", "library", "--index", str(copy)))
            repaired = tally.check(
                name, "doctor --repair", qa("doctor", "--index", str(copy), "--repair")
            )
            lost = sorted(expected - held(copy))
            readable = True
            try:
                missing_live = sorted(expected - live_ids(copy))
            except Exception:  # noqa: BLE001 - a trial records whatever the index does
                readable, missing_live = False, sorted(expected)
            trials.append(
                {
                    "fault": name,
                    "lost": lost,
                    "live_after_repair": readable,
                    "missing_from_live_after_repair": missing_live,
                    "repair_exit": repaired["exit"],
                }
            )
    return trials


def disk_trials(base: Path, work: Path, tally: Tally) -> list[dict]:
    """A full disk and a read-only folder, on a tmpfs mounted for the purpose."""
    mount = work / "tmpfs"
    mount.mkdir()
    size = sum(p.stat().st_size for p in base.rglob("*") if p.is_file())
    trials = []
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size + 300_000}", "tmpfs", str(mount)]
    ).returncode:
        return [{"fault": "disk", "skipped": "mount not permitted here"}]
    try:
        copy = mount / "index"
        shutil.copytree(base, copy)
        extra = work / "library.txt"
        extra.write_text(EXTRA * 2000)  # enough new vectors to fill what is left
        before = held(copy)
        for fault in ("full disk", "read-only"):
            if fault == "read-only":
                subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
            done = tally.check(fault, "add", qa("add", str(extra), "--index", str(copy)))
            trials.append(
                {
                    "fault": fault,
                    "exit": done["exit"],
                    "message": done["message"],
                    "lost": sorted(before - held(copy)),
                    "loads": bool(live_ids(copy)),
                }
            )
    finally:
        subprocess.run(["umount", str(mount)])
    return trials


def kill_trials(base: Path, expected: set[str], work: Path, rounds: int) -> list[dict]:
    rng = random.Random(11)
    extra = work / "library.txt"
    extra.write_text(EXTRA)
    steps = {
        "add": lambda i: ["add", str(extra), "--index", str(i)],
        "remove": lambda i: ["remove", "harbour", "--index", str(i)],
        "rebuild": lambda i: ["index", str(ROOT / "seeds"), "--index", str(i)],
    }
    trials = []
    for step, command in steps.items():
        for _ in range(rounds):
            copy = work / "trial"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
            process = subprocess.Popen(
                [sys.executable, "-m", "qa.cli", *command(copy)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.5, 8.0))
            process.send_signal(signal.SIGKILL)
            process.wait()
            live = live_ids(copy)
            allowed = expected - {"harbour"} if step == "remove" else expected
            trials.append(
                {
                    "fault": f"kill -9 during {step}",
                    "loads": True,  # live_ids raised otherwise
                    "lost": sorted(allowed - live),
                    "kept_files_lost": sorted(allowed - held(copy)),
                }
            )
    return trials


def http_trials(base: Path, work: Path) -> dict:
    """Status codes a live server gives over a damaged copy: search, write, health."""
    import httpx

    codes: Counter[int] = Counter()
    token = "fault-injection"
    version = next(p for p in base.iterdir() if p.name.startswith("v-"))
    for target in [
        "CURRENT",
        *(str(p.relative_to(base)) for p in sorted(version.iterdir()) if p.is_file()),
    ]:
        copy = work / "served"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(base, copy)
        with launch.running_server(copy, env={"QA_API_TOKEN": token}, deadline_s=300) as (url, _):
            path = copy / target
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0xFF
            path.write_bytes(bytes(data))
            if target == "CURRENT":
                path.write_bytes(b"\xff\xfe")
            for call in (
                lambda: httpx.post(f"{url}/api/search", json={"question": QUESTION}, timeout=60),
                lambda: httpx.post(
                    f"{url}/api/documents",
                    json={"doc_id": "library", "text": EXTRA},
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=120,
                ),
                lambda: httpx.get(f"{url}/api/health", timeout=60),
            ):
                codes[call().status_code] += 1
    return {str(k): v for k, v in sorted(codes.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=4, help="SIGKILL trials per step")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args()
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base, expected = base_index(work)
        tally = Tally()
        damage = damage_trials(base, expected, work, tally)
        disk = disk_trials(base, work, tally)
        kills = kill_trials(base, expected, work, args.kills)
        http = http_trials(base, work)
    lost = sum(len(t.get("lost", [])) for t in damage + disk + kills)
    server_errors = sum(v for k, v in http.items() if k.startswith("5") and k not in ("503", "507"))
    report = {
        "articles_held": len(expected),
        "damage_trials": len(damage),
        "articles_lost": lost,
        "tracebacks": sum(r["traceback"] for r in tally.rows),
        "bad_exits": sum(v for k, v in tally.exits.items() if k not in (0, 1)),
        "exit_codes": {str(k): v for k, v in sorted(tally.exits.items())},
        "repairs_leaving_every_article_live": sum(
            not t["missing_from_live_after_repair"] for t in damage
        ),
        "http_status_codes": http,
        "http_5xx_other_than_503_507": server_errors,
        "damage": damage,
        "disk": disk,
        "kills": kills,
        "commands": tally.rows,
        "seconds": round(time.time() - started),
    }
    summary = {k: v for k, v in report.items() if not isinstance(v, list)}
    print(json.dumps(summary, indent=2))
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n")
    return 0 if lost == 0 and report["tracebacks"] == 0 and server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
