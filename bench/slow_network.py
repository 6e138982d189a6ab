"""The main pages' first visit over slow 3G (400 kbps down and up, 400 ms latency).

Not a test: timings belong here. Against a running Legwork server (any: `make demo`, `make
serve`, the benchmark's gunicorn), Playwright drives Debian's Chromium. For each page, a new
browser context (nothing cached, no cookie) logs in at full speed, the browser's cache is then
emptied (the login page's stylesheets with it: a first visit has none), Chrome's network
emulation is switched on (CDP Network.emulateNetworkConditions), and the page is opened. Per
page: the time to the `load` event, the bytes transferred (transferSize of the navigation and
of every resource: headers and body as sent, compressed or not) and the requests. The page
is then opened once more in the same context (its stylesheets cached): the second visit.

    python -m bench.slow_network http://127.0.0.1:8771 clinician DEMO-0002@demo \\
        --password legwork-demo-2026 [--patient-password ...]

`measure()` returns one dict per page. The patient pages (the patient's week) use the
patient's login; the others the member of staff's. The ids in the URLs (a patient, their
programme) are read from the pages themselves, as a person would click through.

Two more measurements, throttled from the start (nothing cached, no cookie):
- the log-in page, the true first visit: nobody reaches a main page without it;
- each main page right after logging in: the log-in page is opened, the browser waits until
  the network is idle (the time a person takes to type their password: the public pages
  prefetch the stylesheets meanwhile), the form is sent with `next` set to the page, and the
  page the log-in lands on is timed from its own fetch to its `load` event (the navigation
  entry's fetchStart to loadEventEnd; the sent form and its redirect come before, and are
  given apart as "submit to load").
"""

import argparse
import re
import time

CHROMIUM = "/usr/bin/chromium"
SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms, added to each request
    "downloadThroughput": 400 * 1000 / 8,  # bytes per second
    "uploadThroughput": 400 * 1000 / 8,
}
TARGET_S = 1.0

# Every resource the page fetched, navigation included: bytes on the wire (headers and
# compressed body; 0 when served from the cache).
TRANSFERRED_JS = """() => {
  const entries = [...performance.getEntriesByType('navigation'),
                   ...performance.getEntriesByType('resource')];
  return {bytes: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
          body: entries.reduce((sum, e) => sum + (e.decodedBodySize || 0), 0),
          requests: entries.length,
          cached: entries.filter(e => e.transferSize === 0).length,
          biggest: entries.map(e => [e.name.split('/').pop() || '/', e.transferSize])
                          .sort((a, b) => b[1] - a[1]).slice(0, 3)};
}"""


def _log_in(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"Could not log in as {username!r} at {base_url}")


def _first_link(page, base_url, path, pattern):
    """The first link on `path` whose address matches `pattern` (read unthrottled)."""
    page.goto(f"{base_url}{path}")
    for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
        if re.search(pattern, href):
            return href.removeprefix(base_url)
    raise SystemExit(f"No link matching {pattern} on {path}")


def _open(page, cdp, url):
    """Open `url` with the emulated network: seconds to `load`, and what was transferred."""
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    began = time.perf_counter()
    response = page.goto(url, wait_until="load", timeout=120_000)
    seconds = time.perf_counter() - began
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "latency": 0,
             "downloadThroughput": -1, "uploadThroughput": -1})  # fmt: skip
    if response is None or response.status != 200:
        raise SystemExit(f"{url}: {response.status if response else 'no response'}")
    return seconds, page.evaluate(TRANSFERRED_JS)


def _page(browser, base_url, login, password, name, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        _log_in(page, base_url, login, password)
        if callable(path):
            path = path(page)
        page.goto("about:blank")
        cdp.send("Network.clearBrowserCache")  # a first visit: nothing cached
        first_s, first = _open(page, cdp, f"{base_url}{path}")
        second_s, second = _open(page, cdp, f"{base_url}{path}")
    finally:
        context.close()
    return {
        "page": name,
        "path": path,
        "load_s": first_s,
        "bytes": first["bytes"],
        "body_bytes": first["body"],
        "requests": first["requests"],
        "biggest": first["biggest"],
        "second_load_s": second_s,
        "second_bytes": second["bytes"],
    }


def _throttled_context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    return context, page


PAGE_OWN_LOAD_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return (nav.loadEventEnd - nav.fetchStart) / 1000;
}"""


def _login_page(browser, base_url):
    """The log-in page with an empty cache, throttled: the first visit of anyone."""
    context, page = _throttled_context(browser)
    try:
        began = time.perf_counter()
        page.goto(f"{base_url}/accounts/login/", wait_until="load", timeout=120_000)
        seconds = time.perf_counter() - began
        sent = page.evaluate(TRANSFERRED_JS)
    finally:
        context.close()
    return {"page": "log-in page (first visit)", "path": "/accounts/login/", "load_s": seconds,
            "bytes": sent["bytes"], "body_bytes": sent["body"], "requests": sent["requests"],
            "biggest": sent["biggest"]}  # fmt: skip


def _after_login(browser, base_url, login, password, name, path):
    """`path` landed on by logging in, throttled from the empty cache on (module docstring)."""
    context, page = _throttled_context(browser)
    try:
        page.goto(f"{base_url}/accounts/login/?next={path}", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)  # typing the password
        page.fill("input[name=username]", login)
        page.fill("input[name=password]", password)
        began = time.perf_counter()
        with page.expect_navigation(wait_until="load", timeout=120_000):
            page.click("button[type=submit]")
        submit_s = time.perf_counter() - began
        if not page.url.endswith(path):
            raise SystemExit(f"Logging in as {login!r} landed on {page.url}, not {path}")
        own_s = page.evaluate(PAGE_OWN_LOAD_JS)
        sent = page.evaluate(TRANSFERRED_JS)
    finally:
        context.close()
    return {"page": f"{name} (after log-in)", "path": path, "load_s": own_s,
            "submit_s": submit_s, "bytes": sent["bytes"], "body_bytes": sent["body"],
            "requests": sent["requests"], "biggest": sent["biggest"]}  # fmt: skip


def _resolved(browser, base_url, login, password):
    """The staff pages' addresses, links followed once at full speed."""
    context = browser.new_context()
    try:
        page = context.new_page()
        _log_in(page, base_url, login, password)
        return [(name, path(page) if callable(path) else path) for name, path in _paths(base_url)]
    finally:
        context.close()


def _paths(base_url):
    """The staff pages, each found by following links as a clinician would."""

    def patient(page):
        return _first_link(page, base_url, "/patients/", r"/patients/[0-9a-f-]{36}/$")

    def programme(page):
        return _first_link(page, base_url, patient(page), r"/programmes/[0-9a-f-]{36}/$")

    def session_form(page):
        return programme(page) + "sessions/new/"

    return [
        ("clinician home", "/"),
        ("patient list", "/patients/"),
        ("patient page", patient),
        ("programme page", programme),
        ("session form", session_form),
        ("outcomes page", "/assessments/outcomes/"),
    ]


def measure(base_url, staff_login, patient_login, password, patient_password=None) -> list[dict]:
    """Each main page's slow-3G first visit: a dict per page (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    base_url = base_url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            pages = [
                (name, path, staff_login, password)
                for name, path in _resolved(browser, base_url, staff_login, password)
            ]
            pages.append(
                ("patient's week", "/portal/", patient_login, patient_password or password)
            )
            rows = [_login_page(browser, base_url)]
            rows += [
                _after_login(browser, base_url, login, secret, name, path)
                for name, path, login, secret in pages
            ]
            rows += [
                _page(browser, base_url, login, secret, name, path)
                for name, path, login, secret in pages
            ]
            return rows
        finally:
            browser.close()


def report(rows) -> str:
    """The table; the target (under 1 s) is for the real visits: the log-in page, and the pages
    after it. A page opened with the cache emptied after the log-in is not a visit anyone
    makes (the log-in page has fetched the stylesheets): it shows the cost of an empty cache."""
    lines = [
        "| page | load s | KB transferred | requests | largest | second visit: load s "
        "(after log-in: submit to load s) | second visit: KB | target |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for r in rows:
        largest = ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in r["biggest"][:2])
        if "second_load_s" in r:  # the cache emptied after a log-in at full speed
            name, then = f"{r['page']} (cache emptied)", f"{r['second_load_s']:.2f}"
            then_kb, verdict = f"{r['second_bytes'] / 1024:.1f}", "none: not a real visit"
        else:
            name, then_kb = r["page"], ""
            then = f"{r['submit_s']:.2f}" if "submit_s" in r else ""
            verdict = "met" if r["load_s"] < TARGET_S else "MISSED"
            verdict += f" (under {TARGET_S:.0f} s)"
        lines.append(
            f"| {name} | {r['load_s']:.2f} | {r['bytes'] / 1024:.1f} | {r['requests']} | "
            f"{largest} | {then} | {then_kb} | {verdict} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("staff_login")
    parser.add_argument("patient_login")
    parser.add_argument("--password", required=True, help="the member of staff's")
    parser.add_argument("--patient-password", help="the patient's, when not the same")
    args = parser.parse_args()
    rows = measure(
        args.base_url, args.staff_login, args.patient_login, args.password, args.patient_password
    )
    print("Slow 3G (400 kbps down and up, 400 ms latency), first visits with an empty cache:")
    print(report(rows))


if __name__ == "__main__":
    main()
