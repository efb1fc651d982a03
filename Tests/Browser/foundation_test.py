"""Browser test of the foundation: a real headless Chromium against a running demo.

Usage: python foundation_test.py http://127.0.0.1:8089 [screenshot-dir]
Opens the home page, switches to Kazakh, signs in as a demo akimat officer, checks the
account page, signs out. Prints one line per check and ends with "N passed, N failed".
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8089"
SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
EMAIL = "akimat.shieli@demo.aimaq.kz"
PASSWORD = "aimaq-demo-2026"

results = []


def click_and_wait(element):
    """Clicks a link or button and waits until the next page has replaced this one and loaded."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 60).until(expected_conditions.staleness_of(page))
    # Staleness only says the next page has begun; a redirect may still be on its way, and
    # navigating again meanwhile interrupts it. Wait for the page to finish loading.
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f" ({detail})"), flush=True)


def shot(driver, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(30)
try:
    driver.get(BASE + "/")
    html = driver.find_element(By.TAG_NAME, "html")
    # Chromium asks for en-US; without a choice the page follows Accept-Language.
    check("home page follows the browser's language", html.get_attribute("lang") == "en", html.get_attribute("lang"))
    tiles = driver.find_elements(By.CSS_SELECTOR, "svg.tile-map a")
    check("tile map shows the 20 regions", len(tiles) == 20, f"{len(tiles)} tiles")
    check("demo banner is visible", driver.find_element(By.CSS_SELECTOR, ".demo-banner").is_displayed())
    shot(driver, "home-en")

    click_and_wait(driver.find_element(By.CSS_SELECTOR, "nav.languages a[hreflang=kk]"))
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    check("language switch to Kazakh", lang == "kk", lang)
    check("Kazakh region names", "Қызылорда облысы" in driver.page_source)
    shot(driver, "home-kk")

    driver.get(BASE + "/territories/430000000")
    check("Kazakh is remembered across pages", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "kk")
    check("region page lists Shieli district", "Шиелі ауданы" in driver.page_source)

    click_and_wait(driver.find_element(By.CSS_SELECTOR, "header.site nav a[href='/signin']"))
    driver.find_element(By.ID, "email").send_keys(EMAIL)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    nav = driver.find_element(By.CSS_SELECTOR, "header.site").text
    check("signed in: the account link shows the name", "Demo Akimat Officer" in nav, nav)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "header.site a[href='/account']"))
    check("account page shows the e-mail", EMAIL in driver.page_source)
    shot(driver, "account-kk")

    click_and_wait(driver.find_element(By.CSS_SELECTOR, "header.site form[action='/signout'] button"))
    signin_links = driver.find_elements(By.CSS_SELECTOR, "header.site nav a[href='/signin']")
    check("signed out: the sign-in link is back", len(signin_links) == 1)
    driver.get(BASE + "/account")
    check("account page asks to sign in again", "/signin" in driver.current_url, driver.current_url)
except Exception as error:  # a crash is a failed check, not a silent pass
    check("browser session ran to the end", False, repr(error))
finally:
    driver.quit()

passed = sum(results)
failed = len(results) - passed
print(f"browser: {passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
