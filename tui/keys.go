package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the screen answers to, with its help text: `?`
// lists them all, so a key missing here is a key nobody finds.
type KeyMap struct {
	Approve key.Binding
	Reject  key.Binding
	Quit    key.Binding
	Tab     key.Binding
	BackTab key.Binding
	Up      key.Binding
	Down    key.Binding
	PageUp  key.Binding
	PageDn  key.Binding
	Open    key.Binding
	Full    key.Binding
	Help    key.Binding
	// Confirm and Back act while a danger-level approval waits for "yes";
	// Back also closes an opened detail.
	Confirm key.Binding
	Back    key.Binding
}

// DefaultKeyMap is the screen's keys: one key to decide, vi keys to move.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Approve: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve")),
		Reject:  key.NewBinding(key.WithKeys("r", "esc"), key.WithHelp("r", "reject")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q/ctrl+c", "quit (rejects)")),
		Tab:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		BackTab: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:  key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDn:  key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Open:    key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "open")),
		Full:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "full addresses/values")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back, else reject")),
	}
}

// ShortHelp is the one-line help at the foot of the screen, without `?`:
// the footer adds that last, where no width cuts it off.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Approve, k.Reject, k.Tab, k.Open}
}

// FullHelp is the help `?` opens: every key, in the order a person needs
// them. Keys that go in pairs share a line, so three columns fit 80
// columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	help := func(keys, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, desc))
	}
	return [][]key.Binding{
		{k.Approve, k.Reject, k.Quit, help("?", "close this help")},
		{k.Tab, k.BackTab, k.Open, k.Back},
		{help("↑↓ jk", "move"), help("pgup/pgdn", "page"), help("f", "full values")},
	}
}

// openHelp is the short help of an opened detail.
type openHelp struct{ k KeyMap }

func (h openHelp) ShortHelp() []key.Binding {
	back := key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", "back"))
	reject := key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reject")) // esc goes back here
	scroll := key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↑↓", "scroll"))
	return []key.Binding{back, scroll, h.k.Approve, reject}
}
func (h openHelp) FullHelp() [][]key.Binding { return h.k.FullHelp() }
