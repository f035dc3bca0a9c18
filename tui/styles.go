package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/txguard/txguard/guard"
)

// styles is every style the screen uses, made from the renderer of the
// terminal it draws on: that renderer, not stdout's, decides the colour
// profile, and it honours NO_COLOR. No meaning rests on colour alone:
// levels are always spelled out, the selected row always has a marker.
type styles struct {
	level    [guard.Critical + 1]lipgloss.Style // a severity word
	banner   [guard.Critical + 1]lipgloss.Style // the verdict line
	title    lipgloss.Style                     // a pane's title
	focused  lipgloss.Style                     // the focused pane's title
	selected lipgloss.Style                     // the cursor's row
	key      lipgloss.Style                     // "signer", "target" in the header
	dim      lipgloss.Style                     // secondary text
	model    lipgloss.Style                     // text written by the model
	warn     lipgloss.Style                     // the second step of a risky approval
	help     help.Styles
}

// Level colours from the 16 ANSI colours, so the terminal's theme decides
// the exact shade.
var levelColour = [guard.Critical + 1]lipgloss.Color{
	guard.OK:       "2", // green
	guard.Info:     "4", // blue
	guard.Caution:  "3", // yellow
	guard.Danger:   "1", // red
	guard.Critical: "5", // magenta: past red, and unlike any other
}

func newStyles(r *lipgloss.Renderer) styles {
	s := styles{
		title:    r.NewStyle().Bold(true),
		focused:  r.NewStyle().Bold(true).Underline(true),
		selected: r.NewStyle().Bold(true),
		key:      r.NewStyle().Faint(true),
		dim:      r.NewStyle().Faint(true),
		model:    r.NewStyle().Italic(true),
		warn:     r.NewStyle().Bold(true).Foreground(levelColour[guard.Danger]),
	}
	for l, c := range levelColour {
		s.level[l] = r.NewStyle().Bold(true).Foreground(c)
		s.banner[l] = r.NewStyle().Bold(true).Reverse(true).Foreground(c)
	}
	s.help = help.Styles{
		ShortKey:       r.NewStyle().Bold(true),
		ShortDesc:      r.NewStyle().Faint(true),
		ShortSeparator: r.NewStyle().Faint(true),
		Ellipsis:       r.NewStyle().Faint(true),
		FullKey:        r.NewStyle().Bold(true),
		FullDesc:       r.NewStyle().Faint(true),
		FullSeparator:  r.NewStyle().Faint(true),
	}
	return s
}
