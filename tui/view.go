package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/guard/report"
)

// View draws the screen: verdict banner, header, decoded tree, findings,
// detail of the selection, the model's pane, keys. Every line is cut to
// the width, and the panes share the height left over.
func (m Model) View() string {
	w, h := max(m.width, 20), max(m.height, 8)
	var out []string
	add := func(lines ...string) {
		for _, l := range lines {
			out = append(out, ansi.Truncate(l, w, "…"))
		}
	}

	add(m.banner(w))
	if m.o.Heading != nil {
		add(m.st.warn.Render(decode.Escape(m.o.Heading())))
	}
	for _, f := range header(m.v.Decoded) {
		// Addresses in full where they fit: the header is where a person
		// checks who they deal with. A value too long for a narrow window
		// takes a second line rather than lose its end.
		v := f.value
		if !m.full && len(v)+7 > w {
			v = short(v)
		}
		lines := strings.Split(ansi.Wrap(v, w-7, " "), "\n")
		add(m.st.key.Render(fmt.Sprintf("%-7s", f.key)) + lines[0])
		if len(lines) > 1 {
			add("       " + strings.Join(lines[1:], " "))
		}
	}
	// What the rules read and did not: no silent OK, on the first view.
	add(m.st.key.Render(fmt.Sprintf("%-7s", "rules")) + decode.Escape(m.v.Coverage.Line()))

	foot := m.footer(w)
	modelLines := m.modelLines(w)
	// Four pane titles, the pane bodies, the footer.
	avail := h - len(out) - 4 - len(foot)
	if avail < minPaneRows {
		// Too small for the panes: the verdict and the keys still work.
		for len(out) < h-len(foot)-1 {
			out = append(out, "")
		}
		out = append(out[:h-len(foot)-1], ansi.Truncate(fmt.Sprintf("a larger window shows the details (%dx%d now)", w, h), w, "…"))
		return strings.Join(append(out, foot...), "\n")
	}
	// The node's pane, when a node was given, takes its rows first (from
	// the tree's share): what the simulation says is among the first
	// things to read.
	simLines := m.simLines(w)
	simRows := 0
	if simLines != nil && avail-1 >= minPaneRows+1 {
		simRows = min(len(simLines), max(avail/5, 2), avail-1-minPaneRows)
		avail -= 1 + simRows
	}
	detailLines := m.detailLines(w)
	treeRows, findRows, detailRows, modelRows := m.split(avail, len(detailLines), len(modelLines))

	add(m.title(paneTree, "DECODED", "enter opens/closes · f full"))
	add(m.treeLines(treeRows)...)
	add(m.title(paneFindings, fmt.Sprintf("FINDINGS (%d)", len(m.finds)), "worst first"))
	add(m.findingLines(findRows)...)
	add(m.st.title.Render("DETAIL"))
	add(pad(detailLines, detailRows)...)
	if simRows > 0 {
		add(m.st.title.Render("YOUR NODE") + "  " + m.st.dim.Render("simulated: what it does, not what it says"))
		if len(simLines) > simRows {
			simLines = append(simLines[:simRows-1:simRows-1], m.st.dim.Render(fmt.Sprintf("  … %d more lines (the report has them all)", len(simLines)-simRows+1)))
		}
		add(simLines...)
	}
	add(m.title(paneModel, "MODEL REVIEW", "advisory: it can raise the level, never lower it"))
	top := clamp(m.modelTop, 0, max(len(modelLines)-modelRows, 0))
	shown := slices.Clone(modelLines[top:min(top+modelRows, len(modelLines))])
	if end := top + len(shown); end < len(modelLines) && len(shown) > 0 {
		// The review goes on: say so rather than stop mid-sentence.
		hint := "↓ j for more"
		if m.focus != paneModel {
			hint = "tab here for all of it"
		}
		shown[len(shown)-1] = m.st.dim.Render(fmt.Sprintf("  … %d more lines (%s)", len(modelLines)-end+1, hint))
	}
	add(shown...)
	add(foot...)
	return strings.Join(out, "\n")
}

// minPaneRows is the fewest rows the four panes can share and still say
// something each.
const minPaneRows = 6

// split shares the rows the panes have. The model's pane and the findings
// list take what they need within limits, the focused pane gets the most,
// and the tree takes the rest. Rows the detail pane does not fill go to
// the model's review, then to the tree.
func (m Model) split(avail, detailLen, modelLen int) (tree, finds, detail, model int) {
	model = min(modelLen, 2)
	finds = clamp(len(m.finds), 1, max(avail/4, 1))
	detail = max(avail/4, 1)
	switch m.focus {
	case paneFindings:
		// The explanation is what a person reads here: the tree gives way.
		detail = max(avail-finds-model-max(avail/5, 1), 1)
	case paneModel:
		model = min(modelLen, max(avail/2, 2))
		detail = max(avail/6, 1)
	}
	if spare := detail - detailLen - 1; spare > 0 { // one blank row stays, to part the panes
		more := min(spare, max(modelLen-model, 0))
		detail, model = detail-spare, model+more
	}
	tree = avail - finds - detail - model
	if tree < 1 { // a tiny window: the tree keeps a line, detail gives way
		detail = max(detail+tree-1, 0)
		tree = 1
	}
	return tree, finds, detail, model
}

// pad makes lines exactly n long.
func pad(lines []string, n int) []string {
	if len(lines) > n {
		lines = lines[:n]
		if n > 0 {
			lines[n-1] = "  … (more than fits: a taller window, or tab here)"
		}
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines
}

// banner is the verdict in one line: the level in words and colour, where
// it came from, and whether the model raised it.
func (m Model) banner(w int) string {
	s := " VERDICT: " + report.Headline(m.v) + " · "
	if m.reviewing {
		s += "rules: " + m.v.RulesLevel.String() + "; model: still writing"
	} else {
		s += report.Summary(m.v)
	}
	return m.st.banner[m.v.Level].Width(w).MaxHeight(1).Render(ansi.Truncate(decode.Escape(s), w, "…"))
}

// title is a pane's title line; the focused pane is marked in text too.
func (m Model) title(p pane, name, hint string) string {
	if m.focus == p {
		return "▶ " + m.st.focused.Render(name) + "  " + m.st.dim.Render(hint)
	}
	return "  " + m.st.title.Render(name) + "  " + m.st.dim.Render(hint)
}

// window is the part of n rows a cursor at cur shows in rows lines:
// the cursor kept in the middle where it can be.
func window(cur, n, rows int) (from, to int) {
	from = clamp(cur-rows/2, 0, max(n-rows, 0))
	return from, min(from+rows, n)
}

func (m Model) treeLines(rows int) []string {
	from, to := window(m.treeCur, len(m.rows), rows)
	var out []string
	for i := from; i < to; i++ {
		n := m.rows[i]
		mark := "  "
		switch {
		case len(n.kids) > 0 && n.open:
			mark = "▾ "
		case len(n.kids) > 0:
			mark = "▸ "
		}
		text := n.text
		if !m.full {
			text = short(text)
		}
		line := strings.Repeat("  ", n.depth) + mark + text
		out = append(out, m.cursor(m.focus == paneTree && i == m.treeCur, line))
	}
	return pad(out, rows)
}

// cursor marks the selected row with a sign, not only a style, so it
// shows without colour.
func (m Model) cursor(selected bool, line string) string {
	if selected {
		return m.st.selected.Render("›" + line)
	}
	return " " + line
}

func (m Model) findingLines(rows int) []string {
	if len(m.finds) == 0 {
		return pad([]string{"  none: no rule found anything to say"}, rows)
	}
	from, to := window(m.findCur, len(m.finds), rows)
	var out []string
	for i := from; i < to; i++ {
		f := m.finds[i]
		word := m.st.level[f.Severity].Render(fmt.Sprintf("%-8s", report.LevelWord(f.Severity)))
		line := word + " " + decode.Escape(report.FindingLabel(f)) + ": " + decode.Escape(f.Title)
		out = append(out, m.cursor(m.focus == paneFindings && i == m.findCur, line))
	}
	return pad(out, rows)
}

// detailLines explains the selection: the selected line of the tree in
// full, or the selected finding with its explanation and advice.
func (m Model) detailLines(w int) []string {
	var out []string
	if m.focus == paneTree {
		if m.treeCur < len(m.rows) {
			out = indented(m.rows[m.treeCur].text, w)
		}
		return out
	}
	if len(m.finds) == 0 {
		return nil
	}
	f := m.finds[m.findCur]
	head := m.st.level[f.Severity].Render(report.LevelWord(f.Severity)) + " · " + decode.Escape(report.FindingLabel(f))
	out = append(out, "  "+head)
	for _, part := range []string{f.Explanation, prefixed("Advice: ", f.Advice), prefixed("Where: ", f.Evidence)} {
		if part == "" {
			continue
		}
		out = append(out, indented(decode.Escape(part), w)...)
	}
	return out
}

// indented is s word-wrapped to a pane of width w, two spaces in.
func indented(s string, w int) []string {
	lines := strings.Split(ansi.Wrap(s, w-2, " "), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return lines
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// simLines is the node's pane: the simulation running, what it showed, or
// why there is none; nil when no node was given.
func (m Model) simLines(w int) []string {
	if m.simulating {
		return []string{"  " + m.spin.View() + " simulating on " + decode.Escape(m.o.NodeName) + "…"}
	}
	var out []string
	for _, l := range report.SimLines(m.v) {
		out = append(out, indented(decode.Escape(l), w)...)
	}
	return out
}

// modelLines is the model pane: progress while it writes, then its
// summary labelled as the model's, or why there is no review.
func (m Model) modelLines(w int) []string {
	wrap := func(s string) []string { return indented(s, w) }
	if m.reviewing {
		p := m.progress
		s := fmt.Sprintf("%s asking %s · %.1fs · %d tokens", m.spin.View(), decode.Escape(m.o.ModelName), m.o.Now().Sub(m.started).Seconds(), p.Tokens)
		if p.Attempt > 1 {
			s += fmt.Sprintf(" · attempt %d", p.Attempt)
		}
		return append([]string{"  " + s}, wrap(m.st.dim.Render("the rules' verdict above stands; you may decide now"))...)
	}
	r := m.v.Model
	switch {
	case r == nil:
		return wrap("no model review: not consulted")
	case r.Status == guard.StatusOK && r.Level != nil:
		who := "the model says " + m.st.level[*r.Level].Render(report.LevelWord(*r.Level))
		if n := len(r.Findings); n > 0 {
			who += fmt.Sprintf(" (findings: %d, marked MODEL)", n)
		}
		return append(wrap(who+":"), wrap(m.st.model.Render(decode.Escape(r.Summary)))...)
	}
	why := "no model review (" + r.Status + ")"
	if r.Reason != "" {
		why += ": " + r.Reason
	}
	return wrap(decode.Escape(why))
}

// footer is the keys' help, or the second step of a risky approval.
func (m Model) footer(w int) []string {
	if m.confirming {
		warn := m.st.warn.Render(fmt.Sprintf("%s: type %s and press enter to approve anyway; esc goes back", report.LevelWord(m.v.Level), m.phrase))
		return []string{warn, m.input.View()}
	}
	if !m.live {
		// The help appears when keys count: a visible start signal.
		return []string{m.st.help.ShortDesc.Render("reading the verdict… keys work in a moment; q or ctrl+c rejects now")}
	}
	k := m.keys
	if m.v.Level >= guard.Danger {
		k.Approve = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve (asks for yes)"))
	}
	return strings.Split(m.help.View(k), "\n")
}
