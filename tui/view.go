package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
	"github.com/txguard/txguard/guard/report"
)

// View draws the screen: the verdict and its headline, the header, the
// findings with the worst selected and explained, the decoded tree, the
// node's and the model's panes, keys. Every line is cut to the width, and
// the panes share the height left over. An opened selection takes the
// whole screen under the banner.
func (m Model) View() string {
	w, h := max(m.width, 20), max(m.height, 8)
	var out []string
	add := func(lines ...string) {
		for _, l := range lines {
			out = append(out, ansi.Truncate(l, w, "…"))
		}
	}

	add(m.banner(w)...)
	if m.o.Heading != nil {
		add(m.st.warn.Render(decode.Escape(m.o.Heading())))
	}
	foot := m.footer(w)
	if m.help.ShowAll && !m.confirming {
		add("▶ "+m.st.focused.Render("KEYS")+"  "+m.st.dim.Render("? or esc closes"), "")
		add(m.keysHelp(w)...)
		return strings.Join(out, "\n")
	}
	if m.opened && !m.confirming {
		m.layoutPage()
		add(m.pageTitle)
		add(strings.Split(m.page.View(), "\n")...)
		return strings.Join(append(out, foot...), "\n")
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

	modelLines := m.modelLines(w)
	// Four pane titles, the pane bodies, the footer.
	avail := h - len(out) - 4 - len(foot)
	if avail < minPaneRows || w < minWidth {
		// Too small for the panes: the verdict and the keys still work,
		// and the person is told what size would show the rest.
		need := fmt.Sprintf("the details need %dx%d (now %dx%d)", max(w, minWidth), h-avail+minPaneRows, w, h)
		for len(out) < h-len(foot)-1 {
			out = append(out, "")
		}
		out = append(out[:h-len(foot)-1], ansi.Truncate(need, w, "…"))
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
	findRows, detailRows, treeRows, modelRows := m.split(avail, len(detailLines), len(modelLines))

	add(m.title(paneFindings, fmt.Sprintf("FINDINGS (%d)", len(m.finds)), "worst first · enter opens"))
	add(m.findingLines(findRows)...)
	add(m.st.title.Render("  DETAIL"))
	add(pad(detailLines, detailRows)...)
	add(m.title(paneTree, "DECODED", "enter opens/closes · f full"))
	add(m.treeLines(treeRows)...)
	if simRows > 0 {
		add(m.st.title.Render("  YOUR NODE") + "  " + m.st.dim.Render("simulated: what it does, not what it says"))
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
		hint := "↓ j for more, enter for all"
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
// something each; minWidth the fewest columns their lines make sense in.
const (
	minPaneRows = 6
	minWidth    = 50
)

// split shares the rows the panes have. The findings list takes what it
// needs within a quarter, the model's pane two rows, and the focused pane
// the most: with the findings focused (the first view) the detail pane
// explains the worst finding and the tree keeps two rows. Rows the detail
// pane does not fill go to the tree, then to the model's review.
func (m Model) split(avail, detailLen, modelLen int) (finds, detail, tree, model int) {
	finds = clamp(len(m.finds), 1, max(avail/4, 1))
	model = min(modelLen, 2)
	treeLen := len(m.rows)
	switch m.focus {
	case paneFindings:
		tree = min(treeLen, 2)
	case paneTree:
		tree = max(avail-finds-model-max(avail/5, 1), 1)
	case paneModel:
		model = min(modelLen, max(avail/2, 2))
		tree = min(treeLen, 2)
	}
	detail = avail - finds - model - tree
	if spare := detail - detailLen - 1; spare > 0 { // one blank row stays, to part the panes
		more := min(spare, max(treeLen-tree, 0))
		tree, spare = tree+more, spare-more
		model += min(spare, max(modelLen-model, 0))
		detail = avail - finds - model - tree
	}
	if detail < 1 { // a tiny window: the detail keeps a line, the tree gives way
		tree = max(tree+detail-1, 1)
		detail = avail - finds - model - tree
	}
	return finds, detail, tree, model
}

// pad makes lines exactly n long.
func pad(lines []string, n int) []string {
	if len(lines) > n {
		lines = lines[:n]
		if n > 0 {
			lines[n-1] = "  … more than fits: enter shows all of it"
		}
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines
}

// banner is the verdict and what signing does, in words and colour:
// "VERDICT: DANGER · Approve unlimited USDC to 0x3C44…93BC (unknown)". The
// headline is the one thing a person must read, so when the line is too
// narrow for it, it goes on lines of its own rather than lose its end.
// Where the level came from (the rules, the model) is in the model's pane.
func (m Model) banner(w int) []string {
	level := " VERDICT: " + report.Headline(m.v)
	head := decode.Escape(guard.Headline(m.v))
	style := m.st.banner[m.v.Level].Width(w).MaxHeight(1)
	if head == "" {
		return []string{style.Render(ansi.Truncate(level, w, "…"))}
	}
	if one := level + " · " + head; ansi.StringWidth(one) <= w {
		return []string{style.Render(one)}
	}
	out := []string{style.Render(ansi.Truncate(level, w, "…"))}
	for _, l := range strings.Split(ansi.Wrap(head, w-1, " "), "\n")[:min(2, strings.Count(ansi.Wrap(head, w-1, " "), "\n")+1)] {
		out = append(out, m.st.title.Render(" "+l))
	}
	return out
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
	// A list that does not fit says how much is left, on its last row,
	// unless the cursor is on that row.
	more := len(m.finds) - to
	if more > 0 && rows > 1 && m.findCur < to-1 {
		to--
		more++
	}
	var out []string
	for i := from; i < to; i++ {
		f := m.finds[i]
		word := m.st.level[f.Severity].Render(fmt.Sprintf("%-8s", report.LevelWord(f.Severity)))
		line := word + " " + decode.Escape(f.Title) + m.st.dim.Render(" · "+decode.Escape(report.FindingLabel(f)))
		out = append(out, m.cursor(m.focus == paneFindings && i == m.findCur, line))
	}
	if more > 0 && len(out) < rows {
		out = append(out, m.st.dim.Render(fmt.Sprintf("  … %d more below (↓ j)", more)))
	}
	return pad(out, rows)
}

// detailLines explains the selection: the selected line of the tree in
// full, or the selected finding with its explanation and advice.
func (m Model) detailLines(w int) []string {
	var out []string
	if m.focus == paneTree {
		if m.treeCur >= len(m.rows) {
			return nil
		}
		// The line in full; a closed branch shows what it holds, so the
		// pane never just repeats the row.
		n := m.rows[m.treeCur]
		if n.open || len(n.kids) == 0 {
			return indented(n.text, w)
		}
		for _, k := range n.kids {
			out = append(out, indented(k.text, w)...)
		}
		return out
	}
	if len(m.finds) == 0 {
		return nil
	}
	f := m.finds[m.findCur]
	head := m.st.level[f.Severity].Render(report.LevelWord(f.Severity)) + " " + m.st.title.Render(decode.Escape(f.Title))
	out = append(out, indented(head, w)...)
	for _, part := range []string{f.Explanation, prefixed("Advice: ", f.Advice), prefixed("Where: ", f.Evidence), "Rule: " + report.FindingLabel(f)} {
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

// footer is the keys' help, or the second step of a risky approval. The
// short help is cut to the width before "? keys" is added, so the way to
// every other key survives the narrowest window.
func (m Model) footer(w int) []string {
	if m.confirming {
		text := fmt.Sprintf("%s: type %s and press enter to approve anyway; esc goes back", report.LevelWord(m.v.Level), m.phrase)
		if m.wrongPhrase != "" {
			text = fmt.Sprintf("not approved: %q is not the phrase; type %s and press enter, or esc", decode.Escape(ansi.Truncate(m.wrongPhrase, 20, "…")), m.phrase)
		}
		return []string{m.st.warn.Render(text), m.input.View()}
	}
	if !m.live {
		// The help appears when keys count: a visible start signal.
		return []string{m.st.help.ShortDesc.Render("reading the verdict… keys work in a moment; q or ctrl+c rejects now")}
	}
	k := m.keys
	if m.v.Level >= guard.Danger {
		k.Approve = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve (asks for yes)"))
	}
	short := k.ShortHelp()
	if m.opened {
		short = openHelp{k}.ShortHelp()
	}
	h := m.help
	h.Width = 0
	helpKey := h.ShortHelpView([]key.Binding{k.Help})
	sep := h.Styles.ShortSeparator.Render(h.ShortSeparator)
	room := w - lipgloss.Width(sep+helpKey)
	// As many keys as fit whole, then "…": help's own cut lets the last
	// key overflow when the ellipsis does not fit.
	line := ""
	for i := range short {
		next := h.ShortHelpView(short[:i+1])
		if lipgloss.Width(next) > room {
			if tail := " " + h.Styles.Ellipsis.Render(h.Ellipsis); line != "" && lipgloss.Width(line+tail) <= room {
				line += tail
			}
			break
		}
		line = next
	}
	if line == "" {
		return []string{helpKey}
	}
	return []string{line + sep + helpKey}
}

// keysHelp lists every key, in columns; in a narrow window the columns
// stack rather than drop the last ones.
func (m Model) keysHelp(w int) []string {
	h := m.help
	h.Width = 0
	groups := m.keys.FullHelp()
	if all := h.FullHelpView(groups); lipgloss.Width(all) <= w {
		return strings.Split(all, "\n")
	}
	var out []string
	for _, g := range groups {
		out = append(out, strings.Split(h.FullHelpView([][]key.Binding{g}), "\n")...)
	}
	return out
}

// layoutPage fits the opened selection to the screen: the finding's
// detail, the model's whole review, or a line of the tree in full.
func (m *Model) layoutPage() {
	w, h := max(m.width, 20), max(m.height, 8)
	rows := h - len(m.banner(w)) - 1 - len(m.footer(w)) // the title, the footer
	if m.o.Heading != nil {
		rows--
	}
	var title string
	var lines []string
	switch m.focus {
	case paneFindings:
		title = fmt.Sprintf("FINDING %d of %d", min(m.findCur+1, len(m.finds)), len(m.finds))
		lines = m.detailLines(w)
	case paneModel:
		title = "MODEL REVIEW"
		lines = m.modelLines(w)
	default:
		title = "DECODED"
		lines = m.detailLines(w)
	}
	m.page.Width, m.page.Height = w, max(rows, 1)
	m.page.SetContent(strings.Join(lines, "\n"))
	// The title says where in the page the view is, and how to go back.
	where := ""
	if !m.page.AtTop() || !m.page.AtBottom() {
		where = fmt.Sprintf(" · %d%%", int(m.page.ScrollPercent()*100))
	}
	m.pageTitle = "▶ " + m.st.focused.Render(title) + "  " + m.st.dim.Render("esc goes back"+where)
}
