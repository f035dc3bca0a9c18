package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/txguard/txguard/guard"
)

// manyFindings is a diff verdict with n findings, worst first as guard
// sorts them, each with a file, a line and a paragraph: the shape of an
// audit of a large refactor or a vendored dependency bump.
func manyFindings(n int) *guard.Verdict {
	levels := []guard.Level{guard.Critical, guard.Danger, guard.Caution, guard.Info}
	v := &guard.Verdict{Level: guard.Critical, RulesLevel: guard.Critical, Findings: make([]guard.Finding, n)}
	for i := range n {
		v.Findings[i] = guard.Finding{
			Rule: "TG907", Name: "low-level-code-added", Severity: levels[i*len(levels)/n], Source: guard.SourceRules,
			Title:       fmt.Sprintf("New inline assembly in Vault%d.sweep", i),
			Explanation: strings.Repeat("The function now runs inline assembly, which the compiler does not check. ", 3),
			Advice:      "Read the assembly block line by line.",
			File:        fmt.Sprintf("src/vault/Vault%d.sol", i), Line: 10 + i,
		}
	}
	return v
}

var moreLine = regexp.MustCompile(`\n\*\*([0-9,]+) more findings?\*\* \(([^)]*)\) (?:is|are) left out to keep this under GitHub's 65,536-character limit; ` +
	"the SARIF report lists every finding \\(code scanning alerts, or `--format sarif`\\)\\.\n$")

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMarkdownCap: a verdict of thousands of findings still makes a
// comment GitHub accepts, showing the worst findings in full and ending
// with how many were left out, by level.
func TestMarkdownCap(t *testing.T) {
	for _, n := range []int{150, 1_000, 5_000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			v := manyFindings(n)
			md := string(render(t, Markdown, testCase{"many", v, Options{Title: "git origin/main...HEAD"}}))
			if len(md) > markdownLimit || !utf8.ValidString(md) {
				t.Fatalf("%d bytes (limit %d), valid UTF-8 %v", len(md), markdownLimit, utf8.ValidString(md))
			}
			m := moreLine.FindStringSubmatch(md)
			if m == nil {
				t.Fatalf("no closing line on what was left out:\n…%s", md[max(0, len(md)-400):])
			}
			rows := strings.Count(md, "\n| CRITICAL |") + strings.Count(md, "\n| DANGER |") +
				strings.Count(md, "\n| CAUTION |") + strings.Count(md, "\n| INFO |")
			details := strings.Count(md, "\n#### ")
			left := atoi(t, m[1])
			if rows != details || rows+left != n || rows == 0 {
				t.Errorf("%d rows, %d details, %d left out, of %d", rows, details, left, n)
			}
			if !strings.Contains(md, fmt.Sprintf("### Findings (the %s most severe of %s)", thousands(rows), thousands(n))) {
				t.Errorf("the findings' title does not say they are a part")
			}
			// The shown ones are the first: the worst, as guard sorts them.
			if !strings.Contains(md, "Vault0.sweep") || strings.Contains(md, fmt.Sprintf("Vault%d.sweep", rows)) {
				t.Errorf("not the first %d findings shown", rows)
			}
			// The levels left out add up, and name what the cut findings are.
			sum := 0
			for _, part := range strings.Split(m[2], ", ") {
				num, level, _ := strings.Cut(part, " ")
				want := 0
				for _, f := range v.Findings[rows:] {
					if f.Severity.String() == level {
						want++
					}
				}
				if got := atoi(t, num); got != want {
					t.Errorf("%s: %d left out, want %d", level, got, want)
				}
				sum += atoi(t, num)
			}
			if sum != left {
				t.Errorf("levels %q add up to %d, not %d", m[2], sum, left)
			}
			// Nothing unused in the budget: one more finding would not fit.
			if rows < n && len(md)+len(mdRow(v.Findings[rows]))+len(mdDetail(v.Findings[rows])) <= markdownLimit-len(mdMore(v.Findings, 0))+len(mdMore(v.Findings, rows)) {
				t.Errorf("%d bytes used: room was left for finding %d", len(md), rows)
			}
		})
	}
}

// TestMarkdownUncut: what fits is not touched, and says nothing of a cut.
func TestMarkdownUncut(t *testing.T) {
	for _, c := range cases(t) {
		md := string(render(t, Markdown, c))
		if strings.Contains(md, "left out") || strings.Contains(md, "cut here") || len(md) > markdownLimit {
			t.Errorf("%s: cut, %d bytes", c.name, len(md))
		}
	}
	md := string(render(t, Markdown, testCase{"100", manyFindings(100), Options{}}))
	if strings.Count(md, "\n#### ") != 100 || strings.Contains(md, "left out") {
		t.Errorf("100 findings (%d bytes) were cut", len(md))
	}
}

// TestMarkdownCutHeading: when the part before the findings alone is over
// the limit (an intent of 200 KB here; a coverage line naming thousands of
// unread files would do the same), the report is cut at a line end and
// still says every finding was left out.
func TestMarkdownCutHeading(t *testing.T) {
	v := manyFindings(3)
	v.Intent = strings.Repeat("swap é ", 30_000)
	md := string(render(t, Markdown, testCase{"intent", v, Options{}}))
	if len(md) > markdownLimit || !utf8.ValidString(md) {
		t.Fatalf("%d bytes, valid UTF-8 %v", len(md), utf8.ValidString(md))
	}
	m := moreLine.FindStringSubmatch(md)
	if m == nil || m[1] != "3" || m[2] != "1 critical, 1 danger, 1 caution" || !strings.Contains(md, "\n… (cut here to fit GitHub's comment limit)\n") {
		t.Errorf("closing lines wrong:\n…%s", md[max(0, len(md)-400):])
	}
}

func TestThousands(t *testing.T) {
	for have, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 65536: "65,536", 1234567: "1,234,567"} {
		if got := thousands(have); got != want {
			t.Errorf("thousands(%d) = %q, want %q", have, got, want)
		}
	}
}

// TestCutMarkdown: the last-resort cut keeps whole lines, or whole
// characters when there is only one line, and stays within the limit.
func TestCutMarkdown(t *testing.T) {
	const note = "\n… (cut here to fit GitHub's comment limit)\n"
	for _, c := range []struct {
		name, have string
		limit      int
		want       string
	}{
		{"at a line end", "## head\n\nline two\nline three\n", len(note) + 12, "## head\n\n" + note},
		{"one line, whole characters", strings.Repeat("é", 40), len(note) + 5, "éé" + note},
		{"no room", "abc\n", 3, note},
	} {
		got := cutMarkdown(c.have, c.limit)
		if got != c.want || !utf8.ValidString(got) || len(got) > max(c.limit, len(note)) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestMdMore(t *testing.T) {
	fs := manyFindings(4).Findings // critical, danger, caution, info
	for _, c := range []struct {
		shown int
		want  string
	}{
		{4, ""},
		{3, "\n**1 more finding** (1 info) is left out"},
		{1, "\n**3 more findings** (1 danger, 1 caution, 1 info) are left out"},
	} {
		if got := mdMore(fs, c.shown); !strings.HasPrefix(got, c.want) || (c.want == "") != (got == "") {
			t.Errorf("%d shown: %q, want it to start %q", c.shown, got, c.want)
		}
	}
}

// BenchmarkMarkdown5000 renders a verdict of 5,000 findings, cut to fit;
// BenchmarkMarkdown100 one of 100 that fits whole, its floor per finding
// shown: the cut must cost about what the findings it shows cost.
func BenchmarkMarkdown5000(b *testing.B) { benchmarkMarkdown(b, 5_000) }
func BenchmarkMarkdown100(b *testing.B)  { benchmarkMarkdown(b, 100) }

func benchmarkMarkdown(b *testing.B, n int) {
	v := manyFindings(n)
	var out strings.Builder
	for b.Loop() {
		out.Reset()
		if err := WriteWith(&out, Markdown, v, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Len()), "bytes")
}
