package richtext

// ParseMarkdown is Parse without its plain-line shortcut, for tests.
var ParseMarkdown = parseMarkdown

// PlainLine exposes plainLine to tests.
var PlainLine = plainLine

// SimpleCell exposes simpleCell to tests.
var SimpleCell = simpleCell
