package prompts

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/userfile"
	"github.com/txguard/txguard/guard"
)

// EvalCase is one labelled input of an evaluation corpus.
type EvalCase struct {
	Path string
	Want guard.Level
	// Kind is the --kind the file needs ("" detects): a message or a
	// blind hash is signed only inside a request, so a bare one says so.
	Kind decode.Kind
}

// LoadEvalCorpus reads DIR/labels.tsv: one "file<TAB>expected level" a
// line, optionally "<TAB>kind", files relative to DIR, # comments.
func LoadEvalCorpus(dir string) ([]EvalCase, error) {
	name := filepath.Join(dir, "labels.tsv")
	b, err := userfile.Read(name, 16<<20)
	if err != nil {
		return nil, fmt.Errorf("prompts: eval corpus: %v", err)
	}
	var out []EvalCase
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) < 2 || len(fields) > 3 {
			return nil, fmt.Errorf("prompts: %s:%d: want file<TAB>level[<TAB>kind]", name, n)
		}
		want, err := guard.ParseLevel(strings.TrimSpace(fields[1]))
		if err != nil {
			return nil, fmt.Errorf("prompts: %s:%d: want file<TAB>level[<TAB>kind]", name, n)
		}
		c := EvalCase{Path: filepath.Join(dir, strings.TrimSpace(fields[0])), Want: want}
		if len(fields) == 3 {
			if c.Kind, err = decode.ParseKind(strings.TrimSpace(fields[2])); err != nil {
				return nil, fmt.Errorf("prompts: %s:%d: %v", name, n, err)
			}
			if c.Kind == decode.KindCalldata || c.Kind == decode.KindDiff {
				// Not what check judges: rated ok, they would pass as safe.
				return nil, fmt.Errorf("prompts: %s:%d: %s is not judged by check (decode reads it); eval takes what check judges", name, n, c.Kind)
			}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("prompts: %s: %v", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("prompts: %s lists no inputs", name)
	}
	return out, nil
}

// EvalResult is the outcome of one case.
type EvalResult struct {
	Case        EvalCase
	Rules, Both guard.Level // the rules alone; rules and model merged
	Review      *guard.ModelReview
	Elapsed     time.Duration
}

// Eval judges every case with the rules and the model (a nil auditor
// means rules only) and writes confusion tables and timings, so a user can
// choose a model for their machine. Inputs that do not decode are errors:
// a labelled corpus must be readable. A model that is not there is said
// once, not asked 35 times nor shown as a second table equal to the
// rules' one.
func Eval(ctx context.Context, a *Auditor, cases []EvalCase, opts decode.Options, cfg guard.Config, w io.Writer) ([]EvalResult, error) {
	var results []EvalResult
	var unavailable *guard.ModelReview
	for _, c := range cases {
		// A corpus is someone's files: their names and what decode says
		// of their bytes are escaped before they reach the terminal.
		b, err := userfile.Read(c.Path, decode.MaxInput)
		if err != nil {
			return nil, fmt.Errorf("prompts: %s", decode.Escape(err.Error()))
		}
		o := opts
		o.Kind = cmp.Or(c.Kind, o.Kind)
		res, err := decode.Decode(b, o)
		if err != nil {
			return nil, fmt.Errorf("prompts: %s: %s", decode.Escape(c.Path), decode.Escape(err.Error()))
		}
		v := guard.Check(res, cfg)
		r := EvalResult{Case: c, Rules: v.RulesLevel}
		start := time.Now()
		if a != nil && unavailable == nil {
			r.Review = a.Review(ctx, v, nil)
			if r.Review.Status == guard.StatusUnavailable {
				unavailable = r.Review // no server or no model: the next case would say the same
			}
			v.Merge(r.Review)
		}
		r.Elapsed, r.Both = time.Since(start), v.Level
		results = append(results, r)
	}
	writeConfusion(w, "rules alone", results, func(r EvalResult) guard.Level { return r.Rules })
	switch {
	case a == nil:
	case unavailable != nil:
		fmt.Fprintf(w, "no model review: %s\nthe rules' table is the whole result; txguard doctor says what to fix (--no-llm for the rules alone)\n", decode.Escape(unavailable.Reason))
	default:
		writeConfusion(w, "rules and model", results, func(r EvalResult) guard.Level { return r.Both })
		writeTimings(w, results)
	}
	return results, nil
}

var levels = []guard.Level{guard.OK, guard.Info, guard.Caution, guard.Danger, guard.Critical}

// writeConfusion writes expected levels (rows) against the levels given
// (columns), how many were under-rated (the number that matters), and
// which.
func writeConfusion(w io.Writer, title string, rs []EvalResult, got func(EvalResult) guard.Level) {
	var m [5][5]int
	var under []EvalResult
	for _, r := range rs {
		m[r.Case.Want][got(r)]++
		if got(r) < r.Case.Want {
			under = append(under, r)
		}
	}
	fmt.Fprintf(w, "%s: %d inputs, %d rated below their label\n", title, len(rs), len(under))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "want \\ got\t")
	for _, l := range levels {
		fmt.Fprintf(tw, "%s\t", l)
	}
	fmt.Fprintln(tw)
	for _, want := range levels {
		fmt.Fprintf(tw, "%s\t", want)
		for _, g := range levels {
			fmt.Fprintf(tw, "%d\t", m[want][g])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if len(under) > 0 {
		fmt.Fprintln(w, "rated below their label:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, r := range under {
			fmt.Fprintf(tw, "  %s\twant %s\tgot %s\n", decode.Escape(r.Case.Path), r.Case.Want, got(r))
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
}

func writeTimings(w io.Writer, rs []EvalResult) {
	var ds []time.Duration
	statuses := map[string]int{}
	for _, r := range rs {
		ds = append(ds, r.Elapsed)
		statuses[r.Review.Status]++
	}
	slices.Sort(ds)
	var total time.Duration
	for _, d := range ds {
		total += d
	}
	var counts []string
	for _, s := range slices.Sorted(maps.Keys(statuses)) {
		counts = append(counts, fmt.Sprintf("%d %s", statuses[s], s))
	}
	fmt.Fprintf(w, "model reviews: %s; per input: median %v, max %v, mean %v\n",
		strings.Join(counts, ", "), ds[len(ds)/2].Round(time.Millisecond), ds[len(ds)-1].Round(time.Millisecond), (total / time.Duration(len(ds))).Round(time.Millisecond))
}

// CorpusFile is a file the corpus carries for itself (its address book,
// its deny list) in dir, or "" when it has none: a corpus whose labels
// assume contacts runs clean without the reader's own book.
func CorpusFile(dir, name string) string {
	p := filepath.Join(dir, name)
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return p
	}
	return ""
}
