"""Browser test of the foundation: a real headless Chromium against a running demo.

Usage: python foundation_test.py http://127.0.0.1:8089 [screenshot-dir]
Opens the home page, switches to Kazakh, signs in as a demo akimat officer, checks the
account page, signs out. Prints one line per check and ends with "N passed, N failed".
"""
from selenium.webdriver.common.by import By

from browser import BASE, PASSWORD, check, click_and_wait, run, shot, start

EMAIL = "akimat.shieli@demo.aimaq.kz"


def steps():
    driver.get(BASE + "/")
    html = driver.find_element(By.TAG_NAME, "html")
    # Chromium asks for en-US; without a choice the page follows Accept-Language.
    check("home page follows the browser's language", html.get_attribute("lang") == "en", html.get_attribute("lang"))
    tiles = driver.find_elements(By.CSS_SELECTOR, "svg.tile-map a")
    check("tile map shows the 20 regions", len(tiles) == 20, f"{len(tiles)} tiles")
    check("demo banner is visible", driver.find_element(By.CSS_SELECTOR, ".demo-banner").is_displayed())
    shot("home-en")

    click_and_wait(driver.find_element(By.CSS_SELECTOR, "nav.languages a[hreflang=kk]"))
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    check("language switch to Kazakh", lang == "kk", lang)
    check("Kazakh region names", "Қызылорда облысы" in driver.page_source)
    shot("home-kk")

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
    shot("account-kk")

    click_and_wait(driver.find_element(By.CSS_SELECTOR, "header.site form[action='/signout'] button"))
    signin_links = driver.find_elements(By.CSS_SELECTOR, "header.site nav a[href='/signin']")
    check("signed out: the sign-in link is back", len(signin_links) == 1)
    driver.get(BASE + "/account")
    check("account page asks to sign in again", "/signin" in driver.current_url, driver.current_url)


driver = start(window="1280,1000", timeout=30)
run(steps)
