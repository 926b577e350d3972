"""The briefing editor in a real headless Chromium: a briefing and a quote from a seed."""

from __future__ import annotations

import os
import shutil
import urllib.request
from pathlib import Path

import pytest

from tests.support import DEMO_PACK, browse_served, copy_project, wait_until

SEED = "seeds/005-wehrdienst.txt"
SENTENCE = "Wir brauchen mehr Soldatinnen und Soldaten, und wir brauchen sie schnell."
SOURCE = (
    "Bundestag debattiert über neuen Wehrdienst\r\n\r\n"
    "Berlin, 12. Januar 2026\r\n\r\n"
    "Der Bundestag hat am Donnerstag in erster Lesung über das Gesetz zum neuen Wehrdienst "
    f"beraten. Verteidigungsminister Boris Pistorius sagte: „{SENTENCE}“ Die Union forderte "
    "eine Rückkehr zur Wehrpflicht, falls sich nicht genügend Freiwillige melden.\r\n"
)
TITLE = "Bundestag berät über den neuen Wehrdienst"
# Selects `text` inside the source pane as a reader would with the mouse: one Range.
SELECT = """
const pane = document.getElementById('source-text');
const node = pane.firstChild;
const at = node.textContent.indexOf(arguments[0]);
const range = document.createRange();
range.setStart(node, at);
range.setEnd(node, at + arguments[0].length);
const selection = window.getSelection();
selection.removeAllRanges();
selection.addRange(range);
return at;
"""


@pytest.mark.slow  # a `briefpack serve` subprocess and a browser
def test_write_a_briefing_and_a_quote_from_a_seed_in_the_browser(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    root = copy_project(tmp_path / "p")
    (root / SEED).write_bytes(SOURCE.encode("utf-8"))  # CRLF: the page shows "\n"
    with browse_served(root, tmp_path, window="1400,1000") as (driver, base, _):
        # The bar leads to the editor; it offers the seed that has no briefing yet.
        driver.get(base)
        driver.find_element(By.LINK_TEXT, "Edit").click()
        assert wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "#seeds li"))
        seed = driver.find_element(By.CSS_SELECTOR, "#seeds li")
        assert seed.get_attribute("data-seed") == SEED
        pack = driver.find_element(By.ID, "new-pack")
        assert pack.get_attribute("value") == DEMO_PACK
        seed.find_element(By.CSS_SELECTOR, "button.create").click()
        assert wait_until(lambda: driver.current_url == base + "edit/wehrdienst")
        path = root / "briefings" / "wehrdienst.yaml"
        assert path.is_file()
        # Title, then a sentence of the source selected and quoted.
        assert wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "#findings li.warning"))
        title = driver.find_element(By.ID, "f-title")
        title.clear()
        title.send_keys(TITLE)
        button = driver.find_element(By.ID, "quote-selection")
        assert not button.is_enabled()
        assert driver.execute_script(SELECT, SENTENCE) > 0
        assert wait_until(button.is_enabled)
        button.click()
        quote = driver.find_elements(By.CSS_SELECTOR, "#quotes .quote")[-1]
        assert quote.find_element(By.CSS_SELECTOR, "textarea").get_attribute("value") == SENTENCE
        quote.find_element(By.CSS_SELECTOR, ".q-speaker").send_keys("Boris Pistorius")
        # Every edit box shows its whole text.
        for area in driver.find_elements(By.CSS_SELECTOR, "#briefing textarea"):
            assert driver.execute_script(
                "return arguments[0].scrollHeight <= arguments[0].clientHeight + 2", area
            ), area.get_attribute("value")
        driver.save_screenshot(str(tmp_path / "editor.png"))
        driver.find_element(By.ID, "save").click()
        assert wait_until(lambda: SENTENCE in path.read_text(encoding="utf-8")), "not saved"
        text = path.read_text(encoding="utf-8")
        assert f'title: "{TITLE}"\n' in text
        assert f'  - text: "{SENTENCE}"\n    speaker: "Boris Pistorius"\n' in text
        # The scaffold's comments are all still there.
        assert text.startswith("# Scaffolded by `briefpack new` from seeds/005-wehrdienst.txt.")
        for comment in ("key_points:   # 3–6 Sätze\n", "quotes:   # 1–3, wörtlich aus dem Text\n"):
            assert comment in text
        # The page says so (after the reload the rebuild brings), with check's findings.
        assert wait_until(lambda: "Saved to briefings/wehrdienst.yaml" in driver.page_source)
        assert wait_until(lambda: "warning: briefings/wehrdienst.yaml:" in driver.page_source)
        assert (
            "quote not found verbatim"
            not in driver.find_element(By.ID, "findings").text.split("quotes[0]")[-1]
        )

        # The preview (the pack's HTML) shows the new briefing with its quote.
        def preview() -> str:
            with urllib.request.urlopen(base, timeout=20) as resp:
                return str(resp.read().decode("utf-8"))

        assert wait_until(lambda: SENTENCE in preview() and TITLE in preview())
        driver.get(base)
        assert f"„{SENTENCE}“" in driver.find_element(By.ID, "src-wehrdienst").text
        shots = os.environ.get("BRIEFPACK_SCREENSHOTS")
        if shots:
            shutil.copy(tmp_path / "editor.png", Path(shots) / "editor.png")
