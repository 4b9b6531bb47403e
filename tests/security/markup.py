"""What a browser would act on in a served page, for the XSS tests."""

from __future__ import annotations

from html.parser import HTMLParser


class ActiveContent(HTMLParser):
    """Collects event-handler attributes, script elements that are neither external files nor
    JSON data blocks, and javascript: URLs: under our CSP none of these may appear, so any one
    of them in a page is injected markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.active: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.active.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.active.append(f"<{tag} {name}={value}>")
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.active.append("<script> without src")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.active
