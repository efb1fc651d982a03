"""Browser test of instruction control, against a running demo in headless Chromium.

Usage: python instructions_test.py http://127.0.0.1:8089 [screenshot-dir]
An akimat officer submits a report with a file, a deputy returns it, the officer resubmits,
the deputy accepts, and the assignment's history shows all four steps.
Ends with "N passed, N failed".
"""
import os
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8089"
SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
PASSWORD = "aimaq-demo-2026"
OFFICER = "akimat.shieli@demo.aimaq.kz"
DEPUTY = "maslikhat.kyzylorda@demo.aimaq.kz"

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


def shot(name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def sign_in(email):
    print(f"  signing in as {email}", flush=True)
    driver.get(BASE + "/signin?lang=en")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def sign_out():
    print(f"  signing out at {driver.current_url}", flush=True)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "header.site form[action='/signout'] button"))


def submit_report(text, value, path):
    driver.find_element(By.ID, "text").send_keys(text)
    inputs = driver.find_elements(By.CSS_SELECTOR, "#report-form input[name^='value_']")
    if inputs:
        inputs[0].send_keys(value)
    driver.find_element(By.ID, "files").send_keys(path)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#report-form button[type=submit]"))


def review(decision, remarks=""):
    if remarks:
        driver.find_element(By.ID, "remarks").send_keys(remarks)
    final = driver.find_elements(By.CSS_SELECTOR, "#review-form input[name=final]")
    if final and decision == "accept":
        final[0].click()
    click_and_wait(driver.find_element(By.CSS_SELECTOR, f"#review-form button[value={decision}]"))


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400", "--lang=en-US"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(60)
evidence = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
evidence.write(b"%PDF-1.4\n% Aimaq browser test evidence\n")
evidence.close()
try:
    sign_in(OFFICER)
    driver.get(BASE + "/my?lang=en")
    links = driver.find_elements(By.CSS_SELECTOR, "ul.work a[href^='/assignments/']")
    check("officer has assignments to report on", len(links) > 0)
    assignment = links[0].get_attribute("href")
    driver.get(assignment)
    check("the report form is offered to the officer", len(driver.find_elements(By.ID, "report-form")) == 1)
    submit_report("Works done in the period; act of acceptance attached.", "12", evidence.name)
    check("the report is submitted", "Report submitted" in driver.page_source)
    check("the evidence file is listed", ".pdf" in driver.find_element(By.CSS_SELECTOR, "ul.files").text)
    sign_out()

    sign_in(DEPUTY)
    driver.get(assignment)
    check("the review form is offered to the deputy", len(driver.find_elements(By.ID, "review-form")) == 1)
    review("return", "Please attach the signed act with the contract number.")
    check("the report is returned", "Returned" in driver.page_source)
    sign_out()

    sign_in(OFFICER)
    driver.get(assignment)
    submit_report("Signed act with contract No. 17 attached.", "15", evidence.name)
    sign_out()

    sign_in(DEPUTY)
    driver.get(assignment)
    review("accept")
    shot("assignment-accepted")
    history = driver.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
    steps = [row.find_elements(By.TAG_NAME, "td")[2].text for row in history]
    tail = steps[-4:]
    check("history shows submit, return, submit, accept",
          tail == ["Report submitted", "Report returned", "Report submitted", "Report accepted"], steps)
    check("the remarks are in the history", "signed act with the contract number" in driver.page_source)
    sign_out()
except Exception as error:
    shot("failure")
    check("browser session ran to the end", False, f"{error!r} at {driver.current_url}")
finally:
    driver.quit()
    os.unlink(evidence.name)

passed = sum(results)
failed = len(results) - passed
print(f"browser: {passed} passed, {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)
