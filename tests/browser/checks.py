"""What a person gets from a page in the browser, checked the same way everywhere: the every-page walk
(tests/browser/test_every_page.py) and the journeys call `page_problems` on each page they reach.

Each check returns the problems in words (empty when the page is right), so a walk can collect them all and report
them in one message:

- axe-core (vendored from npm into static/vendor/axe-core/) finds no serious or critical violation;
- the page is no wider than the window at a phone's 390 px and a laptop's 1,366 px (no sideways swipe);
- no word of a table header or cell, a heading, a badge, a term of a list, a button or a label (a word of up to 20
  letters: a pasted address may wrap) is broken mid-word, in any of the three languages;
- the tab's title is plain text;
- every date input shows the value the server sent (the browser blanks a value it cannot read, e.g. 06/12/2026);
- printed, every status badge still says its status in dark text on the paper (a printer drops backgrounds).
"""

from __future__ import annotations

from pathlib import Path

AXE = (Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js").read_text()
WIDTHS = (390, 1366)
SERIOUS = ("serious", "critical")
# The least contrast of normal text (WCAG 2 AA, 1.4.3), as axe-core's color-contrast rule asks.
MIN_CONTRAST = 4.5


def console_errors(page) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions as they happen."""
    errors: list[str] = []
    # A refused form's answer (400) and a refusal page (403) are documents as meant, not errors of the page.
    answered = ("status of 400", "status of 403")

    def console(message) -> None:
        if message.type == "error" and not any(status in message.text for status in answered):
            errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations, one line each with the first elements it names."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's protocol, so the portal's CSP (no inline script) lets it in.
        page.evaluate(f"() => {{ {AXE}\n }}")
    violations = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {resultTypes: ['violations']});
            // Swagger UI (vendored from drf-spectacular-sidecar, the API documentation page) draws each operation's
            // summary as a button holding the copy-path button: its own markup, which the portal's CSS cannot
            // change. Every other nesting, there or anywhere, counts.
            const swagger = n => v => v.id !== 'nested-interactive' || !n.target.every(t => {
                const e = document.querySelector(t); return e && e.closest('#swagger-ui .opblock-summary'); });
            return result.violations.map(v => ({ ...v, nodes: v.nodes.filter(n => swagger(n)(v)) }))
                .filter(v => v.nodes.length).map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => {
                    const data = (n.any[0] && n.any[0].data) || {};
                    const seen = data.contrastRatio
                        ? ` (${data.fgColor} on ${data.bgColor}, ${data.contrastRatio}:1)` : '';
                    return n.target.join(' ') + seen;
                }),
            }));
        }"""
    )
    return [
        f"axe {v['impact']} {v['id']} ({v['help']}): {len(v['nodes'])} element(s), e.g. {'; '.join(v['nodes'][:6])}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def overflow_problems(page, widths=WIDTHS) -> list[str]:
    """The page wider than the window (a sideways swipe shows blank), at each width; the size is put back."""
    problems = []
    before = page.viewport_size
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        # Charts redraw to their box a frame or two after the window changes (a ResizeObserver, then a frame).
        page.evaluate(
            "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))"
        )
        wide = page.evaluate(
            """() => {
                const scroll = document.scrollingElement.scrollWidth;
                if (scroll <= window.innerWidth) return null;
                // The widest elements reaching past the window's right edge, to say what to fix.
                const past = [...document.querySelectorAll('main *, header *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .filter(e => !e.parentElement
                        || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
                    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
                        ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
                return {scroll, past};
            }"""
        )
        if wide:
            problems.append(f"{wide['scroll']} px wide at {width} px (sideways swipe); too wide: {wide['past']}")
        problems += [f"at {width} px: {broken}" for broken in broken_words(page)]
    if before:
        page.set_viewport_size(before)
    return problems


def broken_words(page) -> list[str]:
    """Words of a table's header or cell, a heading, a badge, a term, a button or a label (up to 20 letters) drawn
    over two lines: "Ye/ar", "Stat/us", "Presidenci/a"."""
    return page.evaluate(
        """() => {
            const broken = [];
            const read = 'main th, main td, main h1, main h2, main .badge, main dt, main .btn, main label, main legend';
            for (const cell of document.querySelectorAll(read)) {
                if (!cell.getClientRects().length) continue;
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const match of node.data.matchAll(/[\\p{L}\\p{N}]{2,20}/gu)) {
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                            .map(r => Math.round(r.top)));
                        const where = cell.tagName.toLowerCase();
                        if (tops.size > 1) broken.push(`"${match[0]}" broken over ${tops.size} lines in <${where}>`);
                    }
                }
            }
            return [...new Set(broken)].slice(0, 5);
        }"""
    )


def title_problems(page) -> list[str]:
    title = page.evaluate("() => document.querySelector('title') ? document.querySelector('title').textContent : ''")
    if not title.strip():
        return ["no <title>"]
    if "<" in title or ">" in title:
        return [f"HTML in the <title>: {title[:80]!r}"]
    return []


def date_input_problems(page) -> list[str]:
    """Date inputs the browser blanked: the server sent a value it cannot read."""
    blank = page.evaluate(
        """() => [...document.querySelectorAll('input[type=date]')]
            .filter(i => (i.getAttribute('value') || '') !== '' && i.value === '')
            .map(i => `${i.name}="${i.getAttribute('value')}"`)"""
    )
    return [f"date input shows blank: {field}" for field in blank]


def print_problems(page) -> list[str]:
    """Printed, each visible status badge must say its status in text dark enough on paper.

    A printer leaves backgrounds out (unless the page asks for them with print-color-adjust: exact), so a badge's
    text is read against white then."""
    page.emulate_media(media="print")
    try:
        faint = page.evaluate(
            """(least) => {
                const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
                const lum = ([r, g, b]) => [r, g, b].map(c => { c /= 255;
                    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
                    .reduce((s, c, i) => s + c * [0.2126, 0.7152, 0.0722][i], 0);
                const over = (fg, bg) => { const a = fg.length > 3 ? fg[3] : 1;
                    return [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a)); };
                const background = e => {
                    for (; e; e = e.parentElement) {
                        const style = getComputedStyle(e);
                        if (style.printColorAdjust !== 'exact') continue;
                        const bg = rgb(style.backgroundColor);
                        if (bg.length > 3 && bg[3] === 0) continue;
                        return bg.slice(0, 3);
                    }
                    return [255, 255, 255];
                };
                const problems = [];
                for (const badge of document.querySelectorAll('.badge')) {
                    if (!badge.getClientRects().length) continue;
                    const text = badge.innerText.trim();
                    if (!text) {
                        problems.push(`a status badge with no text: ${badge.outerHTML.slice(0, 80)}`);
                        continue;
                    }
                    const bg = background(badge);
                    const fg = over(rgb(getComputedStyle(badge).color), bg);
                    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
                    const ratio = (a + 0.05) / (b + 0.05);
                    if (ratio < least) problems.push(`printed, "${text}" is ${ratio.toFixed(2)}:1 on the paper`);
                }
                return [...new Set(problems)];
            }""",
            MIN_CONTRAST,
        )
    finally:
        page.emulate_media(media="screen")
    return faint


def page_problems(page, *, console: list[str] | None = None) -> list[str]:
    """Every check above on the page as it stands (console: the list console_errors fills, emptied here), once it has
    loaded: a check begun while a click's page is still arriving would read a document with no title yet."""
    page.wait_for_load_state("load")
    problems = title_problems(page) + date_input_problems(page) + axe_problems(page)
    problems += overflow_problems(page) + print_problems(page)
    if console:
        problems += [f"console: {error}" for error in console]
        console.clear()
    return problems


def journey_problems(page, step: str) -> list[str]:
    """What the journeys check at each step they reach: axe-core, the width at 390 and 1,366 px, broken words."""
    page.wait_for_load_state("load")
    return [f"{step}: {problem}" for problem in axe_problems(page) + overflow_problems(page)]
