"""Browser test of local budgets, against a running demo in headless Chromium.

Usage: python budget_test.py http://127.0.0.1:8089 [screenshot-dir]
A visitor reads the national overview (tile map, ranking, demo note), changes the indicator,
opens a region's budget section, runs a what-if and compares the rules of another year; a
maslikhat deputy loads a rule table of their own, and its address shows the same comparison
to a visitor who is not signed in; the deputy imports a budget file for their region.
Ends with "N passed, N failed".
"""
import os
import re
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import BASE, check, click_and_wait, run, shot, sign_in, sign_out, start

DEPUTY = "maslikhat.kyzylorda@demo.aimaq.kz"
TABLE = "year,code,level,share\n2026,101201,3,0.6\n2026,101201,4,0.4\n"
LINES = "kind,territory,year,month,code,approved,adjusted,executed\nrevenue,435200000,2026,0,104102,1000,0,900\n"


def balance():
    return driver.find_element(By.ID, "what-if-balance").text


def what_if_rows():
    return driver.find_elements(By.CSS_SELECTOR, "#what-if-rows tbody tr")


def steps():
    driver.get(BASE + "/budget?year=2026&lang=en")
    tiles = driver.find_elements(By.CSS_SELECTOR, "svg.tile-map a")
    check("the overview maps the 20 regions", len(tiles) == 20, f"{len(tiles)} tiles")
    coloured = driver.find_elements(By.CSS_SELECTOR, "svg.tile-map rect[class*='tile-q']")
    check("every region is coloured by the indicator", len(coloured) == 20, f"{len(coloured)} coloured")
    bars = driver.find_elements(By.CSS_SELECTOR, "svg.bar-chart rect.bar")
    check("the ranking has a bar per region", len(bars) == 20, f"{len(bars)} bars")
    check("demo figures say so", driver.find_element(By.CSS_SELECTOR, ".demo-note").is_displayed())
    shot("budget-overview")

    Select(driver.find_element(By.CSS_SELECTOR, "form.filters select[name=indicator]")).select_by_value("execution")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    check("the indicator is kept in the address", "indicator=execution" in driver.current_url, driver.current_url)
    check("the map is titled by the new indicator", "Execution" in driver.find_element(By.TAG_NAME, "main").text)

    click_and_wait(driver.find_element(By.CSS_SELECTOR, "svg.tile-map a[href='/territories/430000000']"))
    section = driver.find_elements(By.ID, "budget")
    check("the region page has a budget section", len(section) == 1)
    check("the budget section charts the months", len(driver.find_elements(By.CSS_SELECTOR, "#budget svg")) > 0)

    driver.get(BASE + "/budget/what-if?year=2026&lang=en")
    share = driver.find_element(By.CSS_SELECTOR, "#what-if-form input[name=share]")
    share.clear()
    share.send_keys("0.3")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#what-if-form button[type=submit]"))
    check("the what-if keeps its inputs in the address", "share=0.3" in driver.current_url, driver.current_url)
    check("the what-if balances to zero", balance() == "0 ₸", balance())
    moved = what_if_rows()
    check("the what-if lists the 100 largest changes", len(moved) == 100, f"{len(moved)} rows")
    heading = driver.find_element(By.XPATH, "//table[@id='what-if-rows']/preceding-sibling::h2[1]").text
    counted = int("".join(ch for ch in heading.split("(")[-1] if ch.isdigit()) or 0)
    check("and counts every budget that changes", counted > 100, heading)
    first = moved[0].text
    shared = driver.current_url
    driver.get(shared)
    check("the shared address shows the same what-if", what_if_rows()[0].text == first)

    driver.find_element(By.CSS_SELECTOR, "#what-if-tables summary").click()
    Select(driver.find_element(By.CSS_SELECTOR, "#what-if-bundled select[name=rules]")).select_by_value("2025")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#what-if-bundled button[type=submit]"))
    codes = driver.find_element(By.ID, "what-if-codes").text
    check("the rules of 2025 change income tax", "101201" in codes, codes)
    check("the comparison of rule tables balances", balance() == "0 ₸", balance())
    check("anonymous visitors are asked to sign in to load a table", len(driver.find_elements(By.ID, "what-if-upload")) == 0)
    shot("what-if-2025")

    sign_in(DEPUTY)
    driver.get(BASE + "/budget/what-if?year=2026&lang=en")
    driver.find_element(By.CSS_SELECTOR, "#what-if-tables summary").click()
    driver.find_element(By.ID, "rules-text").send_keys("year,code,level,share\n2026,101201,3,0.5\n2026,101201,7,0.5\n")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#what-if-upload button[type=submit]"))
    alert = driver.find_element(By.CSS_SELECTOR, "#what-if-tables .error").text
    check("a bad table is refused with its line and column", "line 3, column 3" in alert, alert)
    driver.find_element(By.ID, "rules-text").clear()
    driver.find_element(By.ID, "rules-text").send_keys(TABLE)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#what-if-upload button[type=submit]"))
    loaded = driver.current_url
    check("the loaded table gets its own address", re.search(r"rules=[0-9a-f]{16}", loaded), loaded)
    check("the loaded table moves income tax", "101201" in driver.find_element(By.ID, "what-if-codes").text)
    check("the loaded table balances", balance() == "0 ₸", balance())
    rows = [row.text for row in what_if_rows()[:5]]
    shot("what-if-loaded")

    sign_out()
    driver.get(loaded)
    check("anyone with the address sees the same comparison", [row.text for row in what_if_rows()[:5]] == rows)

    sign_in(DEPUTY)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as file:
        file.write(LINES)
    try:
        driver.get(BASE + "/admin/import-budget?lang=en")
        driver.find_element(By.ID, "budget-file").send_keys(file.name)
        click_and_wait(driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        notice = driver.find_elements(By.CSS_SELECTOR, "main .notice")
        check("the deputy imports a file for their region", notice and notice[0].text.startswith("Imported 1 "),
              notice[0].text if notice else driver.find_element(By.TAG_NAME, "main").text[:300])
    finally:
        os.unlink(file.name)
    sign_out()


driver = start(lang="en-US")
run(steps)
