#!/usr/bin/env python3
"""Check territory-names.csv against the KATO classifier snapshot.

Every district-level unit of kato.csv must have a Kazakh and an English name in
territory-names.csv, and those names must not be the mechanical ones derived from the
Russian name ("Курмангазинский ауданы", "Kurmangazinskiy District").

District-level units are:
  * codes with code % 100000 == 0 that are not regions (code % 10000000 != 0): districts,
    city administrations ("Г.А."), the city districts of Astana, Almaty and Shymkent;
  * the direct children of the three cities of republican significance (71, 75, 79),
    whose city districts the snapshot codes as ...10000;
  * the city itself under a city administration: the child coded admin + 10000 whose
    name starts with "г." ("г.Кызылорда" under "Кызылорда Г.А.").

Usage: check_territory_names.py [KATO_CSV [NAMES_CSV]]
Prints every problem found and exits 1 if there is one; exits 0 otherwise.
Standard library only.
"""

import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "Sources", "AimaqServer", "Resources", "Data"))
REPUBLICAN_CITIES = {710000000, 750000000, 790000000}

# Letters of the Russian alphabet that the Kazakh spelling of these names never uses.
# (Kazakh keeps ы, в, ф, х, ц, ч, щ, ю, я in loanwords and names, so they are allowed.)
RUSSIAN_ONLY = set("ёъьэЁЪЬЭ")

# A word with the ending of a Russian adjective: "Аральский ауданы", "Курмангазинская ...",
# "Глубоковское ...". Only endings that Kazakh names do not have are matched: "-ой" is
# Kazakh ("Жылыой") and "-ый" ends the official Kazakh name of Rudny ("Рудный қаласы").
RUSSIAN_ADJECTIVE = re.compile(r"[А-Яа-яЁё](?:ий|ая|ое|яя|ее|ого)(?=\s|$)")
RUSSIAN_WORDS = re.compile(r"(?:^|\s)(?:район|область|г\.|Г\.А\.|с\.о\.|имени|им\.)(?=\s|$)", re.IGNORECASE)
# English names derived from the Russian adjective: "Kurmangazinskiy District".
ENGLISH_ADJECTIVE = re.compile(r"(?:skiy|skii|sky|ski|skaya|skoye|skoe)\s+(?:District|City Administration)$")

# Official Kazakh names that happen to end like a Russian adjective. Each is the name the
# district itself uses in Kazakh; keep this list short and explain every entry.
ALLOWED_KK = {
    # Глубоковский район: its Kazakh name keeps the name of its centre, Глубокое.
    "634000000": "Глубокое ауданы",
}


def read_kato(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    by_id = {r["id"]: r for r in rows}
    required = {}
    for r in rows:
        code = int(r["code"])
        parent = by_id.get(r["parent_id"])
        parent_code = int(parent["code"]) if parent else None
        if code % 100000 == 0 and code % 10000000 != 0:
            required[code] = r["name"]
        elif parent_code in REPUBLICAN_CITIES:
            required[code] = r["name"]
        elif (parent_code is not None and parent_code % 100000 == 0 and parent_code % 10000000 != 0
              and code == parent_code + 10000 and r["name"].startswith("г.")):
            required[code] = r["name"]
    return {int(r["code"]) for r in rows}, required


def main(argv):
    kato_path = argv[1] if len(argv) > 1 else os.path.join(DATA, "kato.csv")
    names_path = argv[2] if len(argv) > 2 else os.path.join(DATA, "territory-names.csv")
    problems = []

    all_codes, required = read_kato(kato_path)

    with open(names_path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{names_path}: starts with a byte-order mark")
    text = raw.decode("utf-8-sig")
    lines = text.splitlines()
    if not lines or lines[0] != "kato,name_kk,name_en":
        problems.append(f"{names_path}: header must be 'kato,name_kk,name_en', got {lines[0] if lines else ''!r}")

    rows = list(csv.DictReader(text.splitlines(), delimiter=","))
    names = {}
    previous = None
    for n, row in enumerate(rows, start=2):
        where = f"{os.path.basename(names_path)}:{n}"
        code_text = (row.get("kato") or "").strip()
        if not re.fullmatch(r"\d{9}", code_text):
            problems.append(f"{where}: kato {code_text!r} is not a 9-digit code")
            continue
        code = int(code_text)
        if code in names:
            problems.append(f"{where}: {code} appears twice")
        if previous is not None and code < previous:
            problems.append(f"{where}: {code} is out of order (after {previous})")
        previous = code
        if code not in all_codes:
            problems.append(f"{where}: {code} is not in the classifier")
        kk = row.get("name_kk") or ""
        en = row.get("name_en") or ""
        names[code] = (kk, en)

        if not kk.strip():
            problems.append(f"{where}: {code} has an empty name_kk")
        elif ALLOWED_KK.get(code_text) != kk:
            if RUSSIAN_ADJECTIVE.search(kk):
                problems.append(f"{where}: {code} name_kk {kk!r} has a Russian adjective ending")
            if RUSSIAN_WORDS.search(kk):
                problems.append(f"{where}: {code} name_kk {kk!r} has a Russian word")
            bad = sorted(set(kk) & RUSSIAN_ONLY)
            if bad:
                problems.append(f"{where}: {code} name_kk {kk!r} has Russian-only letters {''.join(bad)}")
            if re.search(r"[A-Za-z]", kk):
                problems.append(f"{where}: {code} name_kk {kk!r} has Latin letters")
        if kk != kk.strip() or "  " in kk:
            problems.append(f"{where}: {code} name_kk {kk!r} has stray spaces")

        if not en.strip():
            problems.append(f"{where}: {code} has an empty name_en")
        else:
            if ENGLISH_ADJECTIVE.search(en):
                problems.append(f"{where}: {code} name_en {en!r} is a Russian adjective")
            if not re.fullmatch(r"[A-Za-z][A-Za-z' .-]*", en):
                problems.append(f"{where}: {code} name_en {en!r} has characters other than Latin letters")
            if en != en.strip() or "  " in en:
                problems.append(f"{where}: {code} name_en {en!r} has stray spaces")

    for code in sorted(required):
        if code not in names:
            problems.append(f"missing: {code} ({required[code]}) has no row in territory-names.csv")

    for p in problems:
        print(p)
    print(f"check_territory_names: {len(required)} district-level codes, {len(rows)} rows, "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
