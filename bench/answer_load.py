"""Quick local load run: respondents completing a consultation, against a bare-view baseline.

Each simulated respondent opens the answering page (GET, reads its single-use token) and
sends a complete set of answers (POST). The baseline is the same driver fetching /ping, a
view that touches neither the database nor the cache, on the same server in the same run.
It also reports what the answering page costs a phone: requests and compressed bytes.

    bench/run_answer_load.sh            # starts gunicorn on PostgreSQL + Redis, runs this
    python bench/answer_load.py --base http://127.0.0.1:8765 --seconds 15 --concurrency 16
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

TOKEN = re.compile(r'name="token" value="([^"]+)"')
FIELD = re.compile(r'<input type="(radio|checkbox)" name="(q\d+)" value="([^"]+)"')
TEXTAREA = re.compile(r'<textarea name="(q\d+)"')


@dataclass
class Tally:
    done: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.done += 1
            self.latencies.append(seconds)

    def fail(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def _answers(html: str) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {"age_band": ["15-17"], "sex": ["another"], "country": ["BR"]}
    for kind, name, value in FIELD.findall(html):
        if name not in data or kind == "checkbox" and len(data[name]) < 2:
            data.setdefault(name, []).append(value)
    for name in TEXTAREA.findall(html):
        data[name] = ["Ensinar a bloquear e denunciar nas escolas. Mande para ana@example.com"]
    return data


def respondent(host: str, port: int, path: str, deadline: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            conn.request("GET", path)
            page = conn.getresponse()
            html = page.read().decode()
            if page.status != 200:
                tally.fail(f"GET {page.status}")
                continue
            data = _answers(html)
            data["token"] = [TOKEN.search(html).group(1)]  # type: ignore[union-attr]
            body = urllib.parse.urlencode(data, doseq=True)
            conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
            answer = conn.getresponse()
            content = answer.read().decode()
            if answer.status == 200 and "helplines" in content:
                tally.ok(time.monotonic() - started)
            else:
                tally.fail(f"POST {answer.status}")
        except (OSError, http.client.HTTPException) as error:
            tally.fail(type(error).__name__)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.close()


def pinger(host: str, port: int, deadline: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            conn.request("GET", "/ping")
            response = conn.getresponse()
            response.read()
            tally.ok(time.monotonic() - started) if response.status == 200 else tally.fail(str(response.status))
        except (OSError, http.client.HTTPException) as error:
            tally.fail(type(error).__name__)
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.close()


def run(target, args: tuple, concurrency: int, seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=target, args=(*args, deadline, tally)) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.monotonic() - started


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def page_weight(host: str, port: int, path: str) -> dict[str, int]:
    """Requests and compressed bytes a browser needs for the answering page (HTML + CSS)."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    raw = response.read()
    html = gzip.decompress(raw).decode() if response.getheader("Content-Encoding") == "gzip" else raw.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) + re.findall(r'<script[^>]+src="([^"]+)"', html)
    assets += re.findall(r'<img[^>]+src="([^"]+)"', html)
    total, uncompressed = len(raw), len(html.encode())
    for asset in assets:
        conn.request("GET", asset, headers={"Accept-Encoding": "gzip"})
        asset_response = conn.getresponse()
        body = asset_response.read()
        total += len(body)
        uncompressed += (
            len(gzip.decompress(body)) if asset_response.getheader("Content-Encoding") == "gzip" else len(body)
        )
    conn.close()
    return {"requests": 1 + len(assets), "compressed_bytes": total, "uncompressed_bytes": uncompressed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--path", default="/en/consultations/cyberbullying/answer/")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--json", help="write the figures to this file as JSON")
    args = parser.parse_args()
    url = urllib.parse.urlsplit(args.base)
    host, port = url.hostname or "127.0.0.1", url.port or 80

    weight = page_weight(host, port, args.path)
    baseline, baseline_seconds = run(pinger, (host, port), args.concurrency, args.seconds)
    answers, answers_seconds = run(respondent, (host, port, args.path), args.concurrency, args.seconds)

    figures = {
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "page": weight,
        "baseline_ping_per_second": round(baseline.done / baseline_seconds, 1),
        "baseline_p50_ms": round(statistics.median(baseline.latencies) * 1000, 2) if baseline.latencies else None,
        "submissions": answers.done,
        "submissions_per_second": round(answers.done / answers_seconds, 1),
        "submission_p50_ms": round(percentile(answers.latencies, 50) * 1000, 1),
        "submission_p95_ms": round(percentile(answers.latencies, 95) * 1000, 1),
        "errors": {"baseline": baseline.errors, "answers": answers.errors},
    }
    figures["ratio_submissions_to_baseline"] = round(
        figures["submissions_per_second"] / figures["baseline_ping_per_second"], 3
    )
    print(json.dumps(figures, indent=2))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)


if __name__ == "__main__":
    main()
