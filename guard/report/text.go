package report

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// Widths of text output. It must fit an 80-column terminal; prose wraps
// two columns earlier so it does not touch the edge.
const (
	termWidth = 80
	textWidth = 78
	indent    = "    " // under a finding, and for a folded line
)

// writeText writes the verdict for a person at a terminal or reading a
// pipe: the verdict line, the findings worst first, the model's summary,
// then the decoded input it was judged on. No colour: levels are words.
func writeText(w io.Writer, v *guard.Verdict) error {
	var b bytes.Buffer
	lines := func(ls []string) {
		for _, l := range ls {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	lines(wrap("VERDICT: "+Headline(v)+" ("+Summary(v)+")", "", "  ", textWidth))
	lines(wrap(v.Coverage.Line(), "", "  ", textWidth))
	if v.Intent != "" {
		lines(wrap(v.Intent, "intent: ", indent, textWidth))
	}

	fs := v.AllFindings()
	if len(fs) == 0 {
		b.WriteString("\nno findings\n")
	}
	for _, f := range fs {
		b.WriteByte('\n')
		lines(wrap("["+LevelWord(f.Severity)+"] "+FindingLabel(f)+" — "+f.Title, "", indent, textWidth))
		if f.Explanation != "" {
			lines(wrap(f.Explanation, indent, indent, textWidth))
		}
		if at := At(f); at != "" {
			lines(wrap(at, indent+"at: ", indent+indent, textWidth))
		}
		if f.Evidence != "" {
			lines(wrap(f.Evidence, indent+"evidence: ", indent+indent, textWidth))
		}
		if f.Advice != "" {
			lines(wrap(f.Advice, indent+"advice: ", indent+indent, textWidth))
		}
	}

	if sim := SimLines(v); sim != nil {
		b.WriteString("\nyour node:\n")
		for _, l := range sim {
			lines(wrap(l, "  ", indent+"  ", textWidth))
		}
	}

	if v.ModelCounts() && v.Model.Summary != "" {
		b.WriteString("\nthe model's summary:\n")
		lines(wrap(v.Model.Summary, indent, indent, textWidth))
	}

	if v.Decoded != nil {
		var tree bytes.Buffer
		if err := v.Decoded.WriteText(&tree); err != nil {
			return err
		}
		b.WriteString("\ndecoded:\n")
		for _, l := range strings.Split(strings.TrimSuffix(tree.String(), "\n"), "\n") {
			lines(fold("  "+l, termWidth))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// fold breaks a line of the decoded tree that is wider than width,
// keeping its indentation and indenting the rest a little deeper, so the
// tree's shape survives. A line that fits is left exactly as it is.
func fold(line string, width int) []string {
	if utf8.RuneCountInString(line) <= width {
		return []string{line}
	}
	body := strings.TrimLeft(line, " ")
	lead := line[:len(line)-len(body)]
	// Past half the width the tree's depth no longer reads, and each line
	// would hold a character or two: 60 levels of typed data printed one
	// character a line took 30 times the bytes of its input.
	lead = lead[:min(len(lead), width/2)]
	return wrap(body, lead, lead+indent, width)
}

// runeOffset is the byte offset after the first n runes of s, or len(s).
func runeOffset(s string, n int) int {
	off := 0
	for ; n > 0 && off < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	return off
}

// wrap breaks s into lines of at most width runes at spaces: the first
// line starts with first, the others with rest. A line break in s starts
// a new line. A word wider than a line (a long hex string) is cut, since
// a terminal would cut it anyway and without the indentation.
//
// Hand-written on purpose rather than x/ansi's Wrap: the first line and
// the rest carry prefixes of different widths (a hanging indent), every
// paragraph is escaped as it is cut (findings quote attacker text), and a
// hostile word of megabytes is cut in one linear pass; ansi.Wrap takes
// one width and parses escape sequences the report never contains.
func wrap(s, first, rest string, width int) []string {
	var out []string
	line, empty := first, true // empty: nothing after the prefix yet
	for i, para := range strings.Split(s, "\n") {
		para = decode.Escape(para) // findings quote the input: no escape sequences reach the terminal
		if i > 0 {
			out = append(out, strings.TrimRight(line, " "))
			line, empty = rest, true
		}
		for _, word := range strings.Fields(para) {
			for word != "" {
				room := width - utf8.RuneCountInString(line)
				if !empty {
					room-- // the space before the word
				}
				// Linear in the word however long: a 512 KB word is cut
				// into lines, never rescanned whole for each one.
				cut := runeOffset(word, max(room, 0))
				if cut == len(word) {
					if !empty {
						line += " "
					}
					line, word, empty = line+word, "", false
					continue
				}
				if !empty {
					out = append(out, line)
					line, empty = rest, true
					continue
				}
				cut = runeOffset(word, max(room, 1)) // a prefix wider than width still makes progress
				out = append(out, line+word[:cut])
				line, word = rest, word[cut:]
			}
		}
	}
	return append(out, strings.TrimRight(line, " "))
}
