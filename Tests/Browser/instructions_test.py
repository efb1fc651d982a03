"""Browser test of instruction control, against a running demo in headless Chromium.

Usage: python instructions_test.py http://127.0.0.1:8089 [screenshot-dir]
An akimat officer submits a report with a file, a deputy returns it, the officer resubmits,
the deputy accepts, and the assignment's history shows all four steps.
Ends with "N passed, N failed".
"""
import os
import tempfile

from selenium.webdriver.common.by import By

from browser import BASE, check, click_and_wait, run, shot, sign_in, sign_out, start

OFFICER = "akimat.shieli@demo.aimaq.kz"
DEPUTY = "maslikhat.kyzylorda@demo.aimaq.kz"


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


def steps():
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


driver = start(lang="en-US")
evidence = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
evidence.write(b"%PDF-1.4\n% Aimaq browser test evidence\n")
evidence.close()
run(steps, cleanup=lambda: os.unlink(evidence.name))
