"""What a browser would send back for a form exactly as the page shows it."""

from html.parser import HTMLParser


class _FormValues(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select = None
        self._first_option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            checkable = attrs.get("type") in ("checkbox", "radio")
            if checkable and "checked" not in attrs:
                return
            self.values.setdefault(name, []).append(attrs.get("value", "on" if checkable else ""))
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self.values.setdefault(self._select, []).append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            # A browser sends the first option when none is marked selected.
            if self._select not in self.values and self._first_option is not None:
                self.values[self._select] = [self._first_option]
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                # Browsers drop the newline that directly follows <textarea>.
                value = self.values[self._textarea][0]
                self.values[self._textarea][0] = value.removeprefix("\n")
            self._textarea = None


def form_values(html: str) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(html)
    return parser.values
