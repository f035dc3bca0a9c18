package report

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// writeMarkdown writes the verdict for a pull-request comment or a GitHub
// job summary: heading, a table to scan, the details to read, the model's
// summary, and the decoded input folded away.
//
// Every string that can come from the input or the model is escaped: a
// crafted message or typed-data field, or a model talked into it, must not
// turn into links, images, HTML or a broken table in someone's PR.
func writeMarkdown(w io.Writer, v *guard.Verdict, o Options) error {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	// The input file goes in the heading: a job summary may hold many.
	p("## txguard: %s", Headline(v))
	if name := cmp.Or(o.Title, o.ArtifactURI); name != "" {
		p(" — %s", mdCode(name, false))
	}
	p("\n\n%s\n\n%s\n", mdInline(Summary(v)), mdInline(v.Coverage.Line()))
	if v.Intent != "" {
		p("\nIntent: %s\n", mdInline(v.Intent))
	}

	fs := v.AllFindings()
	if len(fs) == 0 {
		p("\nNo findings.\n")
	} else {
		p("\n| Severity | Rule | Title | Evidence |\n| --- | --- | --- | --- |\n")
		for _, f := range fs {
			p("| %s | %s | %s | %s |\n", LevelWord(f.Severity), mdInline(FindingLabel(f)), mdInline(f.Title), mdCode(cmp.Or(At(f), f.Evidence), true))
		}
		p("\n### Findings\n")
		for _, f := range fs {
			p("\n#### %s · %s: %s\n", LevelWord(f.Severity), mdInline(FindingLabel(f)), mdInline(f.Title))
			if f.Explanation != "" {
				p("\n%s\n", mdBlock(f.Explanation, ""))
			}
			if f.Evidence != "" || f.Advice != "" || f.File != "" {
				b.WriteByte('\n')
			}
			if at := At(f); at != "" {
				p("- At: %s\n", mdCode(at, false))
			}
			if f.Evidence != "" {
				p("- Evidence: %s\n", mdCode(f.Evidence, false))
			}
			if f.Advice != "" {
				p("- Advice: %s\n", mdInline(f.Advice))
			}
		}
	}

	if sim := SimLines(v); sim != nil {
		p("\n### Your node\n\n")
		for _, l := range sim {
			if strings.HasPrefix(l, "  ") {
				p("- %s\n", mdInline(strings.TrimSpace(l)))
			} else {
				p("%s\n\n", mdInline(l))
			}
		}
	}

	if v.ModelCounts() && v.Model.Summary != "" {
		p("\n### The model's summary\n\n%s\n", mdBlock(v.Model.Summary, "> "))
	}

	if v.Decoded != nil {
		var tree bytes.Buffer
		if err := v.Decoded.WriteText(&tree); err != nil {
			return err
		}
		fence := strings.Repeat("`", max(3, longestRun(tree.String(), '`')+1))
		p("\n<details>\n<summary>Decoded input</summary>\n\n%stext\n%s%s\n\n</details>\n", fence, tree.String(), fence)
	}
	_, err := w.Write(b.Bytes())
	return err
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
