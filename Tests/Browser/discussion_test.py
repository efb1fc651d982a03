"""Browser test of discussions and referendums, against a running demo in headless Chromium.

Usage: python discussion_test.py http://127.0.0.1:8089 [screenshot-dir]
A visitor reads the draft Constitution and its changes side by side; a citizen of Shieli
comments on an article of the Kyzylorda maslikhat's draft, replies and supports; a deputy of
the maslikhat hides a comment with a reason; the expert gives a signed opinion with a file; the
deputy gives a proposal of the street-lighting draft its disposition; the reports show the
opinion, the citizen's proposal and the disposition; the citizen votes on the ten statements of the
Kyzylorda opinion map, sees which group they fall in and submits a statement, which the deputy
approves; the national opinion map shows its groups by region; the referendum page shows the
verdict.
Ends with "N passed, N failed".
"""
import tempfile
import time
from pathlib import Path

from selenium.webdriver.common.by import By

from browser import BASE, check, click_and_wait, run, shot, sign_in, sign_out, start

CITIZEN = "citizen@demo.aimaq.kz"
EXPERT = "expert@demo.aimaq.kz"
DEPUTY = "maslikhat.kyzylorda@demo.aimaq.kz"


def discussion_link(text):
    driver.get(BASE + "/discussions?lang=en")
    links = [a for a in driver.find_elements(By.CSS_SELECTOR, "main ul.list a") if text in a.text]
    check(f"the list shows “{text}”", len(links) == 1, driver.find_element(By.TAG_NAME, "main").text[:300])
    return links[0].get_attribute("href")


def steps():
    constitution = discussion_link("Draft new Constitution")
    driver.get(constitution + "?lang=en")
    main = driver.find_element(By.TAG_NAME, "main").text
    check("the draft says how many articles its version changes", "Articles this version changes: 45." in main, main[:400])
    check("the contents link to every article", len(driver.find_elements(By.CSS_SELECTOR, "nav a[href^='#art-']")) == 61)
    click_and_wait(driver.find_element(By.PARTIAL_LINK_TEXT, "See the changes side by side"))
    check("changed wording is struck and inserted", len(driver.find_elements(By.CSS_SELECTOR, "table.diff del")) > 20
          and len(driver.find_elements(By.CSS_SELECTOR, "table.diff ins")) > 20)
    shot("discussion-changes")

    local = discussion_link("Draft maslikhat decision")
    sign_in(CITIZEN)
    driver.get(local + "/articles/art-3?lang=en")
    text = "Twice a year is right; please publish the reports online."
    driver.find_element(By.ID, "comment-text").send_keys(text)
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#comment-form button[type=submit]"))
    comments = driver.find_elements(By.CSS_SELECTOR, "ul.comments > li")
    check("the citizen's comment is shown", any(text in c.text for c in comments), str([c.text[:80] for c in comments]))
    mine = next(c for c in comments if text in c.text)
    mine_id = mine.get_attribute("id")
    reply_box = mine.find_element(By.CSS_SELECTOR, "form[id^=reply-form] textarea[name=text]")
    reply_box.send_keys("And in Kazakh, too.")
    click_and_wait(mine.find_element(By.CSS_SELECTOR, "form[id^=reply-form] button[type=submit]"))
    replies = driver.find_elements(By.CSS_SELECTOR, f"#{mine_id} ul.replies li")
    check("the reply sits under its comment", len(replies) == 1 and "And in Kazakh, too." in replies[0].text)
    support = driver.find_element(By.CSS_SELECTOR, f"#{mine_id} > article form input[value=support]")
    click_and_wait(support.find_element(By.XPATH, "..").find_element(By.TAG_NAME, "button"))
    standing = driver.find_element(By.CSS_SELECTOR, f"#{mine_id} > article .standing").text
    check("the support is counted", "Support: 1" in standing, standing)
    driver.find_element(By.ID, "proposal-wording").send_keys("The akimat reports twice a year at a meeting of residents.")
    driver.find_element(By.ID, "proposal-justification").send_keys("Residents can ask questions.")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "form[action$='/proposals'] button[type=submit]"))
    proposals = driver.find_elements(By.CSS_SELECTOR, "li[id^=proposal-]")
    check("the citizen's proposal is listed with no disposition yet",
          len(proposals) == 1 and "Disposition: not given yet" in proposals[0].text, str([p.text[:120] for p in proposals]))
    shot("discussion-comment")
    sign_out()

    sign_in(DEPUTY)
    driver.get(local + "/articles/art-3?lang=en")
    box = driver.find_element(By.CSS_SELECTOR, f"#{mine_id} > article input[name=reason]")
    box.send_keys("Test of moderation")
    click_and_wait(box.find_element(By.XPATH, "..").find_element(By.TAG_NAME, "button"))
    moderated = driver.find_element(By.ID, mine_id).text
    check("the deputy sees the hidden comment with its reason", "Reason: Test of moderation" in moderated, moderated[:300])
    sign_out()
    driver.get(local + "/articles/art-3?lang=en")
    public = driver.find_element(By.ID, mine_id).text
    check("visitors see that it was hidden, not its text", "hidden by a moderator" in public and text not in public, public[:300])

    # An expert's signed opinion, with a file, shown apart from the comments.
    sign_in(EXPERT)
    driver.get(local + "/opinions?lang=en")
    driver.find_element(By.ID, "opinion-affiliation").send_keys("Institute of Local Government (browser test)")
    driver.find_element(By.CSS_SELECTOR, "input[name=position][value=proposes_changes]").click()
    driver.find_element(By.ID, "opinion-text").send_keys("Report at a meeting of residents, and publish the report.")
    attachment = Path(tempfile.mkdtemp()) / "opinion.txt"
    attachment.write_text("The full opinion, as a file.")
    driver.find_element(By.ID, "opinion-file").send_keys(str(attachment))
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#opinion-form button[type=submit]"))
    opinions = driver.find_elements(By.CSS_SELECTOR, "ul.opinions > li")
    check("the expert's opinion is published with affiliation, file and signature",
          any("Institute of Local Government" in o.text and "opinion.txt" in o.text and "Signature" in o.text for o in opinions),
          str([o.text[:160] for o in opinions]))
    sign_out()
    driver.get(local + "/report?lang=en")
    report = driver.find_element(By.TAG_NAME, "main").text
    check("the report shows the opinion and the citizen's proposal",
          "Institute of Local Government" in report and "meeting of residents" in report, report[:400])

    # The deputy answers a proposal of the draft in its dispositions phase.
    lighting = discussion_link("Draft decision on street lighting")
    sign_in(DEPUTY)
    driver.get(lighting + "/articles/art-1?lang=en")
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/disposition']")
    form.find_element(By.CSS_SELECTOR, "select[name=disposition] option[value=accepted_in_part]").click()
    form.find_element(By.CSS_SELECTOR, "[name=reason]").send_keys("The sensor is used where the network allows it.")
    click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    sign_out()
    driver.get(lighting + "/report?lang=en")
    report = driver.find_element(By.TAG_NAME, "main").text
    check("the report's disposition table shows the deputy's disposition",
          "The sensor is used where the network allows it." in report, report[:600])
    shot("discussion-report")

    # The opinion map: vote on every statement, see one's group; a new statement waits for a moderator.
    sign_in(CITIZEN)
    driver.get(BASE + "/conversations?lang=en")
    click_and_wait(driver.find_element(By.PARTIAL_LINK_TEXT, "Village budgets: the opinion map"))
    conversation = driver.current_url.split("?")[0]
    voted = []
    for n in range(10):
        forms = driver.find_elements(By.ID, "vote-form")
        if not forms:
            break
        statement = forms[0].find_element(By.NAME, "statement").get_attribute("value")
        voted.append(statement)
        answer = ["agree", "disagree", "agree", "pass", "agree"][n % 5]
        click_and_wait(forms[0].find_element(By.CSS_SELECTOR, f"button[value={answer}]"))
    check("the citizen votes on ten statements, never the same twice", len(voted) == 10 and len(set(voted)) == 10, str(voted))
    main = driver.find_element(By.TAG_NAME, "main").text
    check("then every statement is done", "You have voted on every statement." in main, main[:300])
    group_seen = False
    for _ in range(20):  # the map follows within a second
        driver.get(conversation + "?lang=en")
        if driver.find_elements(By.CSS_SELECTOR, "p.your-group"):
            group_seen = True
            break
        time.sleep(0.5)
    check("the citizen sees the group their votes place them in", group_seen,
          driver.find_element(By.TAG_NAME, "main").text[:400])
    check("the map marks where the citizen stands", len(driver.find_elements(By.CSS_SELECTOR, "svg.opinion-map circle.me")) == 1)
    driver.find_element(By.ID, "statement-new").send_keys("Village budgets should be published in Kazakh and Russian.")
    click_and_wait(driver.find_element(By.CSS_SELECTOR, "#statement-form button[type=submit]"))
    check("a submitted statement waits for a moderator", "will be put to the vote once a moderator approves it"
          in driver.find_element(By.TAG_NAME, "main").text)
    shot("conversation")
    sign_out()
    sign_in(DEPUTY)
    driver.get(conversation + "?lang=en#moderation")
    pending = [li for li in driver.find_elements(By.CSS_SELECTOR, "li[id^=pending-]") if "published in Kazakh" in li.text]
    check("the deputy sees it in the moderation queue", len(pending) == 1)
    if pending:
        click_and_wait(pending[0].find_element(By.CSS_SELECTOR, "input[value=approved]").find_element(By.XPATH, "..")
                       .find_element(By.TAG_NAME, "button"))
        check("approved, it leaves the queue", not [li for li in driver.find_elements(By.CSS_SELECTOR, "li[id^=pending-]")
                                                    if "published in Kazakh" in li.text])
    sign_out()
    driver.get(BASE + "/conversations?lang=en")
    click_and_wait(driver.find_element(By.PARTIAL_LINK_TEXT, "Parliamentary reform: the opinion map"))
    main = driver.find_element(By.TAG_NAME, "main").text
    check("the national map shows its groups and how regions divide", "Group A" in main and "Groups by region" in main, main[:300])
    rows = driver.find_elements(By.CSS_SELECTOR, "table[aria-labelledby=by-region] tbody tr")
    check("all 20 regions take part", len(rows) == 20, str(len(rows)))
    shot("conversation-national")

    driver.get(BASE + "/referendums?lang=en")
    click_and_wait(driver.find_element(By.PARTIAL_LINK_TEXT, "Republican referendum of 15 March 2026"))
    main = driver.find_element(By.TAG_NAME, "main").text
    check("the referendum's verdict is shown", "The referendum is valid and the decision is adopted." in main, main[:300])
    check("each rule is shown with its figures", "Turnout: 9,127,192 of 12,482,613" in main and "Yes won in 20 of 20 regions" in main)
    check("two maps of the 20 regions", len(driver.find_elements(By.CSS_SELECTOR, "svg.tile-map a")) == 40)
    shot("referendum")


driver = start(lang="en-US")
run(steps)
