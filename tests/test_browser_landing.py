"""The landing page's first screen (issue 25): at 1280×800 and 375×800, without
scrolling, it says what the site is, what a Zukunftszentrum is, who runs the
site, and offers next steps for companies, Zukunftszentren and everyone."""

from __future__ import annotations

import pytest

# What must be on the first screen: (what, CSS selector within the article, text it holds).
FIRST_SCREEN = [
    ("what the site is", "h1 ~ p.kb-start-lead", "Bericht über die Jahrestagung"),
    ("what a Zukunftszentrum is", "p", "Was ist ein Zukunftszentrum?"),
    ("who runs the site", "p.kb-betrieb", "Betreiber"),
]
# The next steps and the pages they lead to (as the start of the link's path).
NEXT_STEPS = {
    "Für Betriebe": ["case-studies/", "praxis/"],
    "Für Zukunftszentren": ["events/", "quelle/"],
    "Für alle": ["search.html"],
}

VISIBLE_JS = """([selector, text]) => {
  const els = Array.from(document.querySelectorAll('article ' + selector))
    .filter(e => e.innerText.includes(text));
  return els.map(e => e.getBoundingClientRect().bottom <= innerHeight && e.getBoundingClientRect().top >= 0);
}"""
STEPS_JS = """() => Array.from(document.querySelectorAll('article .kb-start-wege li')).map(li => ({
  label: li.querySelector('strong').innerText.replace(':', '').trim(),
  links: Array.from(li.querySelectorAll('a')).map(a => ({
    href: a.getAttribute('href'),
    seen: a.getBoundingClientRect().bottom <= innerHeight && a.getBoundingClientRect().width >= 24 &&
          a.getBoundingClientRect().height >= 24})),
}))"""


@pytest.mark.parametrize("width", [1280, 375])
def test_first_screen_orients_a_first_time_reader(browser, base_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(base_url + "index.html", wait_until="load")
    missing = [what for what, sel, text in FIRST_SCREEN if True not in page.evaluate(VISIBLE_JS, [sel, text])]
    steps = {row["label"]: row["links"] for row in page.evaluate(STEPS_JS)}
    context.close()
    assert missing == [], f"{width}px: not on the first screen: {missing}"
    for label, targets in NEXT_STEPS.items():
        links = steps.get(label, [])
        assert links, f"no next steps '{label}'"
        assert all(link["seen"] for link in links), f"{width}px: '{label}' not all on the first screen: {links}"
        for target in targets:
            assert any(link["href"].startswith(target) for link in links), (label, target, links)


def test_overview_cards_sit_under_fitting_headings(site):
    # Each hand-made card of the landing page sits under the heading of its kind.
    main = site.main("index")
    expected = {
        "Für die Praxis": "Praxisbeispiele",
        "Glossar": "Begriffe",
        "Schlagworte": "Themen",
        "Akteure": "Personen",
        "Quelle: der Bericht": "Quelle",
    }
    for card in main.select(".sd-card"):
        title = card.select_one(".sd-card-title").get_text(" ", strip=True)
        if title not in expected:
            continue
        heading = card.find_previous("h2")
        assert heading is not None and expected[title] in heading.get_text(), (title, heading)
