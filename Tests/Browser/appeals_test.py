"""Browser test of appeals, receptions and visits (issue 15), against a running demo in headless Chromium.

Usage: python appeals_test.py http://127.0.0.1:8089 [screenshot-dir]
A citizen of Shieli submits an appeal about water; the Shieli akimat's officer finds it in the
inbox and answers it; the citizen rates the answer poorly and is offered the body above; a
deputy of the Kyzylorda maslikhat records an issue raised at a reception and takes it under
control as an assignment, which links back to the issue; the page of the Kyzylorda visit shows
what became of each issue raised, and the statistics show the country by region.
Ends with "N passed, N failed".
"""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import BASE, check, click_and_wait, run, shot, sign_in, sign_out, start

CITIZEN = "citizen@demo.aimaq.kz"
OFFICER = "akimat.shieli@demo.aimaq.kz"
DEPUTY = "maslikhat.kyzylorda@demo.aimaq.kz"
TEXT = "Browser test: the water tower in our street has been dry for ten days, please repair the pump."


def main_text():
    return driver.find_element(By.TAG_NAME, "main").text


def steps():
    # The citizen submits an appeal.
    sign_in(CITIZEN)
    driver.get(BASE + "/appeals/new?lang=en")
    Select(driver.find_element(By.ID, "appeal-topic")).select_by_value("water")
    driver.find_element(By.ID, "appeal-text").send_keys(TEXT)
    driver.find_element(By.CSS_SELECTOR, "input[name=publishable]").click()
    # A scan attached as a browser sends it (multipart, the token in the address).
    scan = os.path.join(tempfile.mkdtemp(), "pipe-scan.pdf")
    with open(scan, "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    driver.find_element(By.ID, "appeal-files").send_keys(scan)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#appeal-form button[type=submit]"))
    appeal = driver.current_url.split("?")[0]
    main = main_text()
    check("the appeal is registered with a number and awaits its answer",
          "Appeal No. 43-2026-" in main and "Awaiting an answer" in main and TEXT in main, main[:400])
    check("it is routed to the Shieli akimat", "Shieli District Akimat" in main, main[:600])
    check("the attached scan is kept with it", len(driver.find_elements(By.CSS_SELECTOR, "#appeal-files-list a")) == 1
          and "pipe-scan.pdf" in main, main[:600])
    number = driver.find_element(By.TAG_NAME, "h1").text.replace("Appeal No. ", "")
    driver.get(BASE + "/appeals/mine?lang=en")
    check("“My appeals” lists it", number in main_text())
    shot("appeal-submitted")
    sign_out()

    # The officer answers it from the inbox.
    sign_in(OFFICER)
    driver.get(BASE + "/appeals/inbox?lang=en")
    check("the officer's inbox lists the new appeal", number in main_text(), main_text()[:300])
    driver.get(appeal + "?lang=en")
    driver.find_element(By.ID, "answer-text").send_keys("The pump was replaced on the day of the appeal.")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#answer-form button[type=submit]"))
    main = main_text()
    check("the appeal is answered", "Answered" in main and "The pump was replaced" in main, main[:500])
    sign_out()

    # The citizen is told of the answer, rates it; a poor rating offers the body above.
    sign_in(CITIZEN)
    driver.get(BASE + "/my?lang=en")
    told = [a for a in driver.find_elements(By.CSS_SELECTOR, "ul.notifications a") if "Your appeal has been answered" in a.text]
    check("the citizen is told the appeal was answered", len(told) >= 1 and told[0].get_attribute("href").split("?")[0] == appeal,
          main_text()[:400])
    driver.get(appeal + "?lang=en")
    driver.find_element(By.CSS_SELECTOR, "#rate-form input[name=rating][value='2']").click()
    driver.find_element(By.ID, "rate-note").send_keys("The pump broke again the next day.")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#rate-form button[type=submit]"))
    main = main_text()
    check("the rating is shown", "Rated by the author: 2 of 5" in main, main[:600])
    check("a poor rating offers the body above", len(driver.find_elements(By.ID, "escalate-form")) == 1
          and "Kyzylorda Region Akimat" in driver.find_element(By.ID, "escalate-form").text)
    shot("appeal-rated")
    sign_out()
    driver.get(appeal + "?lang=en")
    main = main_text()
    check("the public sees the published text, without the author", TEXT in main and "Demo Citizen" not in main, main[:500])

    # A deputy records an issue raised at a reception and takes it under control.
    sign_in(DEPUTY)
    driver.get(BASE + "/visits?lang=en")
    receptions = [a for a in driver.find_elements(By.CSS_SELECTOR, "main table a") if "reception" in a.text.lower()]
    check("the calendar lists the maslikhat's receptions", len(receptions) >= 2, main_text()[:400])
    click_and_wait(receptions[0])
    hosts = driver.find_elements(By.CSS_SELECTOR, "a.deputy-link")
    check("a regional reception names the deputy who holds it", len(hosts) >= 1, main_text()[:400])
    reception = driver.current_url
    click_and_wait(hosts[0])
    check("the deputy's page lists their receptions and what was raised with them",
          len(driver.find_elements(By.CSS_SELECTOR, "#deputy-receptions a")) >= 3 and "Raised" in main_text(), main_text()[:500])
    shot("deputy")
    driver.get(reception)
    issue_text = "Browser test: street lighting by the school is out, children walk in the dark."
    form = driver.find_element(By.CSS_SELECTOR, "form[id^=issue-form]")
    form.find_element(By.NAME, "text").send_keys(issue_text)
    form.find_element(By.NAME, "raised_by").send_keys("A resident")
    Select(form.find_element(By.NAME, "topic")).select_by_value("roads")
    click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "main table tr") if issue_text in r.text]
    check("the issue is registered on the reception's page", len(rows) == 1, main_text()[:500])
    click_and_wait(rows[0].find_element(By.CSS_SELECTOR, "a"))
    deadline = driver.find_element(By.ID, "assign-deadline")
    driver.execute_script("arguments[0].value = '2027-03-31'", deadline)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#assign-form button[type=submit]"))
    main = main_text()
    check("the assignment is created and links back to the issue", "Made from the issue raised:" in main, main[:500])
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#assignment-origin a"))
    check("the issue shows it is under control", "Taken under control as an assignment" in main_text(), main_text()[:400])
    shot("issue-assigned")
    sign_out()

    # The visit page reads like the programme and shows what became of each issue.
    driver.get(BASE + "/visits?lang=en")
    click_and_wait(driver.find_element(By.PARTIAL_LINK_TEXT, "Visit of the Speaker of the Senate"))
    main = main_text()
    check("the visit page shows the programme", "Visit to the new airport terminal" in main and "Meeting with creative youth" in main)
    check("with each meeting's minutes as a file", len(driver.find_elements(By.CSS_SELECTOR, "ul.files a")) == 9, main[:300])
    check("and the fate of the issues raised", "Issues raised: 20;" in driver.find_element(By.ID, "visit-outcome").text
          and "Работы включены в план следующего года." in main, main[:300])
    shot("visit")
    driver.get(BASE + "/appeals/statistics?lang=en")
    check("the statistics map all 20 regions", len(driver.find_elements(By.CSS_SELECTOR, "svg.tile-map a")) == 20)
    shot("appeal-statistics")


driver = start()
run(steps)
