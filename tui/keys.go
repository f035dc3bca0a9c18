package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the screen answers to, with its help text.
type KeyMap struct {
	Approve key.Binding
	Reject  key.Binding
	Quit    key.Binding
	Tab     key.Binding
	Up      key.Binding
	Down    key.Binding
	Expand  key.Binding
	Full    key.Binding
	Help    key.Binding
	// Confirm and Back act while a danger-level approval waits for "yes".
	Confirm key.Binding
	Back    key.Binding
}

// DefaultKeyMap is the screen's keys: one key to decide, vi keys to move.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Approve: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve")),
		Reject:  key.NewBinding(key.WithKeys("r", "esc"), key.WithHelp("r", "reject")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit (reject)")),
		Tab:     key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "pane")),
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Expand:  key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "open/close")),
		Full:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "full addresses/values")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp is the one-line help at the foot of the screen.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Approve, k.Reject, k.Tab, k.Expand, k.Help}
}

// FullHelp is the help `?` opens.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Approve, k.Reject, k.Quit},
		{k.Tab, k.Up, k.Down},
		{k.Expand, k.Full, k.Help},
	}
}
