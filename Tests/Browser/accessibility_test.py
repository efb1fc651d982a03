"""Accessibility (issue 12) and the phone-width layout (issue 11): axe-core (axe-selenium-python from PyPI) in the headless Chromium on
the main pages, in Kazakh, Russian and English, without an account and signed in as a deputy.
A serious or critical violation fails; the others are printed.

Usage: python accessibility_test.py BASE_URL [SCREENSHOTS]
"""
from axe_selenium_python import Axe

import browser
from browser import BASE, check

PAGES = ["/", "/territories/430000000", "/territories/435200000", "/instructions", "/instructions/1",
         "/assignments/1", "/budget", "/budget/what-if", "/signin", "/bodies/1", "/referendums", "/referendums/1",
         "/discussions", "/discussions/1", "/discussions/1/changes", "/discussions/2/articles/art-3",
         "/discussions/1/opinions", "/discussions/1/report", "/conversations", "/conversations/1",
         "/conversations/1?region=710000000", "/polls", "/polls/1", "/appeals", "/appeals/statistics",
         "/appeals/statistics?territory=430000000", "/visits", "/visits/1", "/meetings/10", "/objects?territory=430000000"]
SIGNED_IN = ["/my", "/account", "/account/password", "/account/second-factor", "/discussions/2/articles/art-3",
             "/conversations/2", "/polls/2", "/appeals/new", "/appeals/inbox", "/appeals?channel=mandate", "/visits/1",
             "/polls", "/conversations"]


def audit(path, lang, who):
    driver = browser.driver
    driver.get(f"{BASE}{path}{'&' if '?' in path else '?'}lang={lang}")
    axe = Axe(driver)
    axe.inject()
    result = axe.run()
    blocking = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    others = [v for v in result["violations"] if v not in blocking]
    detail = "; ".join(f"{v['id']} ({v['impact']}): {v['nodes'][0]['target'] if v['nodes'] else ''}" for v in blocking)
    check(f"{path} in {lang} ({who}): no serious or critical violation", not blocking, detail)
    for v in others:
        print(f"     note: {v['id']} ({v['impact']}) on {len(v['nodes'])} element(s): "
              f"{[n['target'] for n in v['nodes'][:3]]}", flush=True)


def phone_width():
    """At 390 px (a phone held upright) no page is wider than the screen: tables and maps
    scroll inside themselves, the page does not."""
    driver = browser.driver
    # A phone's viewport, as the browser's device emulation makes it (a headless window has
    # a minimum width of its own).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    for path in PAGES + ["/instructions?territory=430000000"]:
        driver.get(f"{BASE}{path}{'&' if '?' in path else '?'}lang=kk")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        inner = driver.execute_script("return window.innerWidth")
        check(f"{path} fits a phone 390 px wide (page {width} px, screen {inner} px)", width <= inner)
    browser.shot("phone-register")
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def deputy_page():
    """The page of the deputy who holds the demo's first regional reception (its id is an account's)."""
    driver = browser.driver
    driver.get(f"{BASE}/meetings/10")
    links = driver.find_elements("css selector", "a.deputy-link")
    check("the demo's first reception links to its deputy's page", len(links) == 1)
    if links:
        PAGES.append("/" + links[0].get_attribute("href").split("/", 3)[3])


def steps():
    deputy_page()
    phone_width()
    for lang in ("kk", "ru", "en"):
        for path in PAGES:
            audit(path, lang, "visitor")
    browser.sign_in("maslikhat.kyzylorda@demo.aimaq.kz")
    for lang in ("kk", "ru", "en"):
        for path in PAGES[:6] + SIGNED_IN:
            audit(path, lang, "deputy")


browser.start()
browser.run(steps)
