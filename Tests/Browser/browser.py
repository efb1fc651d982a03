"""Shared parts of the browser tests: one headless Chromium against a running demo, checks that
print one line each, screenshots, and signing in and out.

A test script calls `start()`, runs its steps inside `run(steps)`, which counts a crash as a
failed check, quits the browser and exits with "browser: N passed, N failed".
Arguments of every script: the demo's address and, optionally, a folder for screenshots.
"""
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8089"
SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
PASSWORD = "aimaq-demo-2026"

results = []
driver = None


def start(window="1280,1400", lang=None, timeout=60):
    """Starts headless Chromium; without `lang` it asks for its own default (en-US)."""
    global driver
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    flags = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={window}"]
    if lang:
        flags.append(f"--lang={lang}")
    for flag in flags:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(timeout)
    return driver


def click_and_wait(element):
    """Clicks a link or button and waits until the next page has replaced this one and loaded."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    # While a page is being replaced, asking the browser about it can fail for a moment (the
    # document is unloaded under the script): such errors mean "not yet", not a failure.
    wait = WebDriverWait(driver, 60, ignored_exceptions=(WebDriverException,))
    wait.until(expected_conditions.staleness_of(page))
    # Staleness only says the next page has begun; a redirect may still be on its way, and
    # navigating again meanwhile interrupts it. Wait for the page to finish loading.
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f" ({detail})"), flush=True)


def shot(name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def sign_in(email, password=PASSWORD):
    print(f"  signing in as {email}", flush=True)
    driver.get(BASE + "/signin?lang=en")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def sign_out():
    print(f"  signing out at {driver.current_url}", flush=True)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "header.site form[action='/signout'] button"))


def run(steps, cleanup=None):
    """Runs the steps; a crash is a failed check, not a silent pass. Exits with the count."""
    try:
        steps()
    except Exception as error:
        shot("failure")
        check("browser session ran to the end", False, f"{error!r} at {driver.current_url}")
    finally:
        driver.quit()
        if cleanup:
            cleanup()
    passed = sum(results)
    failed = len(results) - passed
    print(f"browser: {passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and passed > 0 else 1)
