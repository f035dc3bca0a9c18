package prompts

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/guard"
)

// EvalCase is one labelled input of an evaluation corpus.
type EvalCase struct {
	Path string
	Want guard.Level
}

// LoadEvalCorpus reads DIR/labels.tsv: one "file<TAB>expected level" a
// line, files relative to DIR, # comments.
func LoadEvalCorpus(dir string) ([]EvalCase, error) {
	name := filepath.Join(dir, "labels.tsv")
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("prompts: eval corpus: %v", err)
	}
	defer f.Close()
	var out []EvalCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		file, level, ok := strings.Cut(line, "\t")
		want, err := guard.ParseLevel(strings.TrimSpace(level))
		if !ok || err != nil {
			return nil, fmt.Errorf("prompts: %s:%d: want file<TAB>level", name, n)
		}
		out = append(out, EvalCase{filepath.Join(dir, strings.TrimSpace(file)), want})
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
// a labelled corpus must be readable.
func Eval(ctx context.Context, a *Auditor, cases []EvalCase, opts decode.Options, cfg guard.Config, w io.Writer) ([]EvalResult, error) {
	var results []EvalResult
	for _, c := range cases {
		b, err := os.ReadFile(c.Path)
		if err != nil {
			return nil, fmt.Errorf("prompts: %v", err)
		}
		res, err := decode.Decode(b, opts)
		if err != nil {
			return nil, fmt.Errorf("prompts: %s: %v", c.Path, err)
		}
		v := guard.Check(res, cfg)
		r := EvalResult{Case: c, Rules: v.RulesLevel}
		start := time.Now()
		if a != nil {
			r.Review = a.Review(ctx, v, nil)
			v.Merge(r.Review)
		}
		r.Elapsed, r.Both = time.Since(start), v.Level
		results = append(results, r)
	}
	writeConfusion(w, "rules alone", results, func(r EvalResult) guard.Level { return r.Rules })
	if a != nil {
		writeConfusion(w, "rules and model", results, func(r EvalResult) guard.Level { return r.Both })
		writeTimings(w, results)
	}
	return results, nil
}

var levels = []guard.Level{guard.OK, guard.Info, guard.Caution, guard.Danger, guard.Critical}

// writeConfusion writes expected levels (rows) against the levels given
// (columns), and how many were under-rated: the number that matters.
func writeConfusion(w io.Writer, title string, rs []EvalResult, got func(EvalResult) guard.Level) {
	var m [5][5]int
	under := 0
	for _, r := range rs {
		m[r.Case.Want][got(r)]++
		if got(r) < r.Case.Want {
			under++
		}
	}
	fmt.Fprintf(w, "%s: %d inputs, %d rated below their label\n", title, len(rs), under)
	fmt.Fprintf(w, "%-10s", "want\\got")
	for _, l := range levels {
		fmt.Fprintf(w, "%9s", l)
	}
	fmt.Fprintln(w)
	for _, want := range levels {
		fmt.Fprintf(w, "%-10s", want)
		for _, g := range levels {
			fmt.Fprintf(w, "%9d", m[want][g])
		}
		fmt.Fprintln(w)
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
	fmt.Fprintf(w, "model reviews: %v; per input: median %v, max %v, mean %v\n",
		statuses, ds[len(ds)/2].Round(time.Millisecond), ds[len(ds)-1].Round(time.Millisecond), (total / time.Duration(len(ds))).Round(time.Millisecond))
}
