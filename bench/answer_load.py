"""Load run: respondents completing a consultation, against a bare-view baseline.

Each simulated respondent opens the answering page (GET, reads its single-use token) and
sends a complete set of answers (POST), over and over, on its own keep-alive connection.
Some send the same form a second time, as a double click or a reload would; they must be
thanked again and nothing stored. The baseline is the same driver fetching /ping, a view
that touches neither the database nor the cache, on the same server, at the same
concurrency, in the same run. It also reports what the answering page costs a phone:
requests and compressed bytes.

    bench/run_answer_load.sh [seconds] [concurrency]     # gunicorn on PostgreSQL + Redis
    python bench/answer_load.py --base http://127.0.0.1:8765 --seconds 20 --concurrency 200

Any 5xx, and any page that is neither a thank-you nor a 200, fails the run (exit 1); the
shell script then checks that the database holds exactly one response per thank-you.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import random
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

TOKEN = re.compile(r'name="token" value="([^"]+)"')
FIELD = re.compile(r'<input type="(radio|checkbox)" name="(q\d+)" value="([^"]+)"')
TEXTAREA = re.compile(r'<textarea name="(q\d+)"')
THANKS = "helplines"  # only the thank-you page lists helplines
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Tally:
    """What one run saw: completed submissions, latencies, and every status by request."""

    submissions: int = 0  # first sendings answered with a thank-you page
    resent: int = 0  # the same form sent again, answered with a thank-you page
    latencies: list[float] = field(default_factory=list)  # the whole GET + POST
    post_latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, what: str, status: int) -> None:
        with self.lock:
            self.statuses[f"{what} {status}"] += 1

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures[what] += 1

    @property
    def server_errors(self) -> int:
        return sum(n for key, n in self.statuses.items() if key.split()[-1].startswith("5"))


def answers_for(html: str) -> dict[str, list[str]]:
    """A complete set of answers to the form in `html`, its token included."""
    data: dict[str, list[str]] = {"age_band": ["15-17"], "sex": ["another"], "country": ["BR"]}
    for kind, name, value in FIELD.findall(html):
        if name not in data or kind == "checkbox" and len(data[name]) < 2:
            data.setdefault(name, []).append(value)
    for name in TEXTAREA.findall(html):
        data[name] = ["Ensinar a bloquear e denunciar nas escolas. Mande para ana@example.com"]
    token = TOKEN.search(html)
    if token is None:
        raise ValueError("no form token on the page")
    data["token"] = [token.group(1)]
    return data


class Client:
    """One browser: a keep-alive connection, opened again after the server closes it."""

    def __init__(self, host: str, port: int, timeout: float = 60) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect(self) -> None:
        self.conn.connect()

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        # A keep-alive connection the server has just closed fails before anything was
        # processed; a browser then sends again on a new one, and so do we, once.
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body, FORM if body is not None else {})
                response = self.conn.getresponse()
                return response.status, response.read().decode()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def respondent(client: Client, path: str, deadline: float, tally: Tally, resend_share: float, seed: int) -> None:
    chance = random.Random(seed)
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, html = client.request("GET", path)
            tally.saw("GET", status)
            if status != 200:
                continue
            body = urllib.parse.urlencode(answers_for(html), doseq=True)
            sent = time.monotonic()
            status, content = client.request("POST", path, body)
            tally.saw("POST", status)
            if status != 200 or THANKS not in content:
                tally.fail(f"POST {status} without a thank-you page")
                continue
            finished = time.monotonic()
            with tally.lock:
                tally.submissions += 1
                tally.latencies.append(finished - started)
                tally.post_latencies.append(finished - sent)
            if chance.random() < resend_share:
                status, content = client.request("POST", path, body)
                tally.saw("POST again", status)
                if status == 200 and THANKS in content:
                    with tally.lock:
                        tally.resent += 1
                else:
                    tally.fail(f"POST again {status} without a thank-you page")
        except (OSError, http.client.HTTPException, ValueError) as error:
            tally.fail(type(error).__name__)
            client.close()


def pinger(client: Client, deadline: float, tally: Tally) -> None:
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, _body = client.request("GET", "/ping")
            tally.saw("GET", status)
            if status == 200:
                with tally.lock:
                    tally.submissions += 1
                    tally.latencies.append(time.monotonic() - started)
        except (OSError, http.client.HTTPException) as error:
            tally.fail(type(error).__name__)
            client.close()


def run(host: str, port: int, concurrency: int, seconds: float, work) -> tuple[Tally, float]:
    """`concurrency` clients, each connected before the clock starts, working for `seconds`."""
    tally = Tally()
    clients = [Client(host, port) for _ in range(concurrency)]
    for client in clients:
        client.connect()
    start = threading.Barrier(concurrency + 1)
    deadline: list[float] = []

    def worker(n: int) -> None:
        start.wait()
        work(clients[n], deadline[0], tally, n)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    deadline.append(time.monotonic() + seconds)
    started = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    for client in clients:
        client.close()
    return tally, elapsed


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


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _latency(values: list[float]) -> dict[str, float]:
    return {f"p{p}_ms": _ms(percentile(values, p)) for p in (50, 95, 99)}


def _ratios(values: list[float], baseline: list[float]) -> dict[str, float]:
    return {f"p{p}": round(percentile(values, p) / percentile(baseline, p), 2) for p in (50, 95, 99)}


def figures_of(args: argparse.Namespace, weight: dict, ping: tuple[Tally, float], answers: tuple[Tally, float]) -> dict:
    (baseline, baseline_seconds), (tally, seconds) = ping, answers
    per_second = tally.submissions / seconds
    ping_per_second = baseline.submissions / baseline_seconds
    return {
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "page": weight,
        "ping": {
            "requests": baseline.submissions,
            "per_second": round(ping_per_second, 1),
            **_latency(baseline.latencies),
            "statuses": dict(baseline.statuses),
            "failures": dict(baseline.failures),
        },
        "answers": {
            "submissions": tally.submissions,
            "resent_and_thanked_again": tally.resent,
            "per_second": round(per_second, 1),
            "submission": _latency(tally.latencies),  # GET the form + POST the answers
            "post": _latency(tally.post_latencies),  # the POST alone
            "statuses": dict(tally.statuses),
            "failures": dict(tally.failures),
        },
        "ratio_to_ping": {
            "throughput": round(per_second / ping_per_second, 4),
            "submission_latency": _ratios(tally.latencies, baseline.latencies),
            "post_latency": _ratios(tally.post_latencies, baseline.latencies),
        },
        "server_errors": baseline.server_errors + tally.server_errors,
        # The database check (stored responses = submissions) is added by run_answer_load.sh.
        "submissions": tally.submissions,
    }


def summary(figures: dict) -> str:
    ping, answers, ratio = figures["ping"], figures["answers"], figures["ratio_to_ping"]
    sub, post, page = answers["submission"], answers["post"], figures["page"]
    return "\n".join(
        [
            f"answering under load: {figures['concurrency']} respondents for {figures['seconds']:g} s "
            "(gunicorn, PostgreSQL, Redis on loopback)",
            f"  page: {page['requests']} requests, {page['compressed_bytes'] / 1000:.1f} KB compressed",
            f"  /ping baseline: {ping['per_second']:,.1f}/s, p50 {ping['p50_ms']} ms, p95 {ping['p95_ms']} ms, "
            f"p99 {ping['p99_ms']} ms",
            f"  completed submissions: {answers['per_second']:,.1f}/s ({ratio['throughput']} of /ping's rate), "
            f"{answers['submissions']} in all, {answers['resent_and_thanked_again']} forms sent twice",
            f"  submission (GET + POST): p50 {sub['p50_ms']} ms, p95 {sub['p95_ms']} ms, p99 {sub['p99_ms']} ms"
            f" = {ratio['submission_latency']['p50']}x / {ratio['submission_latency']['p95']}x / "
            f"{ratio['submission_latency']['p99']}x /ping's",
            f"  POST alone: p50 {post['p50_ms']} ms, p95 {post['p95_ms']} ms, p99 {post['p99_ms']} ms"
            f" = {ratio['post_latency']['p50']}x / {ratio['post_latency']['p95']}x / "
            f"{ratio['post_latency']['p99']}x /ping's",
            f"  5xx: {figures['server_errors']}; other failures: "
            f"{sum(answers['failures'].values()) + sum(ping['failures'].values())}",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--path", default="/en/consultations/cyberbullying/answer/")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--resend-share", type=float, default=0.05, help="share of forms sent a second time")
    parser.add_argument("--json", help="write the figures to this file as JSON")
    args = parser.parse_args()
    # Python's default 8 MB of stack per thread adds up at 200 respondents on a small machine.
    threading.stack_size(512 * 1024)
    url = urllib.parse.urlsplit(args.base)
    host, port = url.hostname or "127.0.0.1", url.port or 80

    weight = page_weight(host, port, args.path)
    ping = run(host, port, args.concurrency, args.seconds, lambda c, d, t, _n: pinger(c, d, t))
    answers = run(
        host,
        port,
        args.concurrency,
        args.seconds,
        lambda c, d, t, n: respondent(c, args.path, d, t, args.resend_share, seed=n),
    )
    figures = figures_of(args, weight, ping, answers)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    print(summary(figures))
    failures = figures["server_errors"] + sum(answers[0].failures.values()) + sum(ping[0].failures.values())
    if failures:
        print(f"FAILED: {figures['server_errors']} server errors, see the JSON for every status", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
