package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// markdownLimit caps a Markdown report in bytes. GitHub refuses a comment
// or summary over 65,536 characters; bytes are at least characters, and the
// margin leaves room for what a bot wraps around the report (a heading, a
// <details>, a marker to update its own comment in place).
const markdownLimit = 60_000

// writeMarkdown writes the verdict for a pull-request comment or a GitHub
// job summary: heading, a table to scan, the details to read, the model's
// summary, and the decoded input folded away.
//
// It stays under markdownLimit whatever the verdict holds: first the
// decoded input goes, then the least severe findings (they come worst
// first), and a last line says how many were left out and where they all
// are. A comment GitHub refuses would show nothing at all.
//
// Every string that can come from the input or the model is escaped: a
// crafted message or typed-data field, or a model talked into it, must not
// turn into links, images, HTML or a broken table in someone's PR.
func writeMarkdown(w io.Writer, v *guard.Verdict, o Options) error {
	fs := v.AllFindings()
	head, tail := mdHead(v, o), mdTail(v)
	decoded, err := mdDecoded(v)
	if err != nil {
		return err
	}
	// Render findings only as far as they could fit: a verdict of a
	// hundred thousand costs no more than one of a few hundred.
	var rows, details []string
	for size := 0; len(rows) < len(fs) && size <= markdownLimit; {
		f := fs[len(rows)]
		rows, details = append(rows, mdRow(f)), append(details, mdDetail(f))
		size += len(rows[len(rows)-1]) + len(details[len(details)-1])
	}

	shown, more := len(rows), "" // all of them, unless they could not fit
	body := func() string { return head + mdFindings(rows, details, shown, len(fs)) + tail + decoded }
	if len(body()) > markdownLimit && decoded != "" {
		decoded = "\n" + mdDecodedLeftOut + "\n"
	}
	if len(body()) > markdownLimit {
		longest := mdMore(fs, 0) // all of them left out: the longest it gets
		shown = fitFindings(rows, details, len(fs), markdownLimit-len(head)-len(tail)-len(decoded)-len(longest))
		more = mdMore(fs, shown)
	}
	out := body()
	if len(out)+len(more) > markdownLimit {
		out = cutMarkdown(out, markdownLimit-len(more))
	}
	_, err = io.WriteString(w, out+more)
	return err
}

// mdHead is the heading, where the level came from, what was read, and the
// user's intent.
func mdHead(v *guard.Verdict, o Options) string {
	var b strings.Builder
	// The input file goes in the heading: a job summary may hold many.
	fmt.Fprintf(&b, "## txguard: %s", Headline(v))
	if name := cmp.Or(o.Title, o.ArtifactURI); name != "" {
		fmt.Fprintf(&b, " — %s", mdCode(name, false))
	}
	fmt.Fprintf(&b, "\n\n%s\n\n%s\n", mdInline(Summary(v)), mdInline(v.Coverage.Line()))
	if v.Intent != "" {
		fmt.Fprintf(&b, "\nIntent: %s\n", mdInline(v.Intent))
	}
	return b.String()
}

const mdTableHead = "\n| Severity | Rule | Title | Evidence |\n| --- | --- | --- | --- |\n"

// mdFindings is the table of the first shown of total findings, then their
// details.
func mdFindings(rows, details []string, shown, total int) string {
	if total == 0 {
		return "\nNo findings.\n"
	}
	var b strings.Builder
	b.WriteString(mdTableHead)
	for _, r := range rows[:shown] {
		b.WriteString(r)
	}
	b.WriteString(mdDetailsHead(shown, total))
	for _, d := range details[:shown] {
		b.WriteString(d)
	}
	return b.String()
}

// mdDetailsHead titles the details, saying when they are only the first
// few: a reader scanning the table must not take it for all of them.
func mdDetailsHead(shown, total int) string {
	if shown == total {
		return "\n### Findings\n"
	}
	return fmt.Sprintf("\n### Findings (the %s most severe of %s)\n", thousands(shown), thousands(total))
}

// fitFindings is how many of the rendered findings, worst first, fit in
// budget bytes with their table row and details.
func fitFindings(rows, details []string, total, budget int) int {
	used := len(mdTableHead) + len(mdDetailsHead(len(rows), total+1)) // the longest title
	for i := range rows {
		used += len(rows[i]) + len(details[i])
		if used > budget {
			return i
		}
	}
	return len(rows)
}

func mdRow(f guard.Finding) string {
	return fmt.Sprintf("| %s | %s | %s | %s |\n", LevelWord(f.Severity), mdInline(FindingLabel(f)), mdInline(f.Title),
		mdCode(cmp.Or(At(f), f.Evidence), true))
}

func mdDetail(f guard.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n#### %s · %s: %s\n", LevelWord(f.Severity), mdInline(FindingLabel(f)), mdInline(f.Title))
	if f.Explanation != "" {
		fmt.Fprintf(&b, "\n%s\n", mdBlock(f.Explanation, ""))
	}
	if f.Evidence != "" || f.Advice != "" || f.File != "" {
		b.WriteByte('\n')
	}
	if at := At(f); at != "" {
		fmt.Fprintf(&b, "- At: %s\n", mdCode(at, false))
	}
	if f.Evidence != "" {
		fmt.Fprintf(&b, "- Evidence: %s\n", mdCode(f.Evidence, false))
	}
	if f.Advice != "" {
		fmt.Fprintf(&b, "- Advice: %s\n", mdInline(f.Advice))
	}
	return b.String()
}

// mdMore is the closing line when findings were left out: how many, of
// which levels (so a reader knows whether anything serious is among them),
// and where every one of them is. "" when none were.
func mdMore(fs []guard.Finding, shown int) string {
	rest := fs[shown:]
	if len(rest) == 0 {
		return ""
	}
	var levels []string
	for l := guard.Critical; l >= guard.OK; l-- {
		if n := countLevel(rest, l); n > 0 {
			levels = append(levels, thousands(n)+" "+l.String())
		}
	}
	noun := "findings"
	if len(rest) == 1 {
		noun = "finding"
	}
	verb := "are"
	if len(rest) == 1 {
		verb = "is"
	}
	return fmt.Sprintf("\n**%s more %s** (%s) %s left out to keep this under GitHub's 65,536-character limit; "+
		"the SARIF report lists every finding (code scanning alerts, or `--format sarif`).\n",
		thousands(len(rest)), noun, strings.Join(levels, ", "), verb)
}

func countLevel(fs []guard.Finding, l guard.Level) int {
	n := 0
	for _, f := range fs {
		if f.Severity == l {
			n++
		}
	}
	return n
}

// mdTail is what your node showed and the model's summary.
func mdTail(v *guard.Verdict) string {
	var b strings.Builder
	if sim := SimLines(v); sim != nil {
		b.WriteString("\n### Your node\n\n")
		for _, l := range sim {
			if strings.HasPrefix(l, "  ") {
				fmt.Fprintf(&b, "- %s\n", mdInline(strings.TrimSpace(l)))
			} else {
				fmt.Fprintf(&b, "%s\n\n", mdInline(l))
			}
		}
	}
	if v.ModelCounts() && v.Model.Summary != "" {
		fmt.Fprintf(&b, "\n### The model's summary\n\n%s\n", mdBlock(v.Model.Summary, "> "))
	}
	return b.String()
}

const mdDecodedLeftOut = "The decoded input is left out to fit GitHub's comment limit: `--format text` shows it."

// mdDecoded is the decoded input, folded away, in a fence longer than any
// run of backticks inside it.
func mdDecoded(v *guard.Verdict) (string, error) {
	if v.Decoded == nil {
		return "", nil
	}
	var tree bytes.Buffer
	if err := v.Decoded.WriteText(&tree); err != nil {
		return "", err
	}
	fence := strings.Repeat("`", max(3, longestRun(tree.String(), '`')+1))
	return fmt.Sprintf("\n<details>\n<summary>Decoded input</summary>\n\n%stext\n%s%s\n\n</details>\n", fence, tree.String(), fence), nil
}

// cutMarkdown is the last resort when the heading or the model's summary
// alone is too long (an intent, or a coverage list of thousands of files):
// s cut to at most limit bytes at a line end, so that no escape or code
// span is split, saying so. By then the decoded input, the only fenced
// block, is gone, and no finding is shown.
func cutMarkdown(s string, limit int) string {
	const cut = "\n… (cut here to fit GitHub's comment limit)\n"
	keep := s[:max(0, limit-len(cut))]
	if i := strings.LastIndexByte(keep, '\n'); i >= 0 {
		keep = keep[:i+1]
	} else {
		for keep != "" && !utf8.RuneStart(s[len(keep)]) { // one huge line: at least whole characters
			keep = keep[:len(keep)-1]
		}
	}
	return keep + cut
}

// thousands writes n with comma separators: 12,345.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// mdEscaper makes text literal inline Markdown: backslash-escapes for the
// punctuation that starts emphasis, code, links and tables, entities for
// what would start HTML.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "~", `\~`, "[", `\[`, "]", `\]`,
	"|", `\|`, "#", `\#`, "&", "&amp;", "<", "&lt;", ">", "&gt;",
)

// mdInline is text on one line: a table cell, a heading, a list item.
func mdInline(s string) string {
	return mdEscaper.Replace(decode.Escape(strings.Join(strings.Fields(s), " ")))
}

// mdBlock is text that may have several lines, each prefixed with prefix
// ("> " quotes it). A line must not start a list or a heading either.
func mdBlock(s, prefix string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		l = mdInline(l)
		if l != "" && strings.ContainsRune("-+=", rune(l[0])) {
			l = `\` + l
		}
		if n := len(l) - len(strings.TrimLeft(l, "0123456789")); n > 0 && n < len(l) && (l[n] == '.' || l[n] == ')') {
			l = l[:n] + `\` + l[n:] // "1." would start an ordered list
		}
		lines[i] = strings.TrimRight(prefix+l, " ")
	}
	return strings.Join(lines, "\n")
}

// mdCode is a code span that holds s whatever backticks it contains. In a
// table cell a pipe must be escaped even inside code (GFM splits cells
// first). Control characters are escaped: a path from a diff is the
// input's, and a code span does not stop an ESC from reaching a terminal.
func mdCode(s string, inTable bool) string {
	s = decode.Escape(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return ""
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return ticks + s + ticks
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := range len(s) {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
