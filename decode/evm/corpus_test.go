package evm

import (
	"bufio"
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// corpusEntry is one line of fixtures/evmcorpus/corpus.jsonl.gz (built by
// fixtures/evmcorpus/build.mjs).
type corpusEntry struct {
	Name      string   `json:"name"`
	Source    string   `json:"source"`
	Compiler  string   `json:"compiler"`
	Optimizer string   `json:"optimizer"`
	ViaIR     bool     `json:"viaIR"`
	Code      string   `json:"code"`
	Creation  string   `json:"creation"`
	Selectors []string `json:"selectors"`

	code, creation []byte
	want           []uint32
}

// family groups the corpus for the per-compiler report: compiler minor
// version, plus viaIR.
func (e *corpusEntry) family() string {
	f := e.Compiler
	if i := strings.LastIndexByte(f, '.'); i > len("solc-0") {
		f = f[:i]
	}
	if e.ViaIR {
		f += " viaIR"
	}
	return f
}

var loadCorpus = sync.OnceValues(func() ([]*corpusEntry, error) {
	f, err := os.Open("../../fixtures/evmcorpus/corpus.jsonl.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var out []*corpusEntry
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		e := new(corpusEntry)
		if err := json.Unmarshal(sc.Bytes(), e); err != nil {
			return nil, err
		}
		if e.code, err = hex.DecodeString(e.Code); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Source, err)
		}
		if e.creation, err = hex.DecodeString(e.Creation); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Source, err)
		}
		for _, s := range e.Selectors {
			v, err := strconv.ParseUint(s, 16, 32)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e.Source, err)
			}
			e.want = append(e.want, uint32(v))
		}
		slices.Sort(e.want)
		out = append(out, e)
	}
	return out, sc.Err()
})

func corpus(tb testing.TB) []*corpusEntry {
	c, err := loadCorpus()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// score counts true positives, false positives and false negatives.
type score struct{ n, tp, fp, fn, exact int }

func (s *score) add(got, want []uint32) {
	s.n++
	fp, fn := diff(got, want), diff(want, got)
	s.tp += len(got) - len(fp)
	s.fp += len(fp)
	s.fn += len(fn)
	if len(fp) == 0 && len(fn) == 0 {
		s.exact++
	}
}

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// diff returns the items of a (sorted) not in b (sorted).
func diff(a, b []uint32) []uint32 {
	var out []uint32
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}

// The floors are what Selectors achieves on the committed corpus; the test
// fails if a change lowers them.
const (
	minPrecision = 1.0
	minRecall    = 1.0
)

func TestSelectorsCorpus(t *testing.T) {
	entries := corpus(t)
	var total score
	fams := map[string]*score{}
	shown := 0
	for _, e := range entries {
		got := Selectors(e.code)
		total.add(got, e.want)
		f := fams[e.family()]
		if f == nil {
			f = new(score)
			fams[e.family()] = f
		}
		f.add(got, e.want)
		if fp, fn := diff(got, e.want), diff(e.want, got); (len(fp) > 0 || len(fn) > 0) && shown < 10 {
			shown++
			t.Logf("%s (%s %s opt=%s): false positives %08x, false negatives %08x", e.Source, e.Name, e.Compiler, e.Optimizer, fp, fn)
		}
	}
	names := make([]string, 0, len(fams))
	for k := range fams {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		f := fams[k]
		t.Logf("%-18s %5d contracts %6d selectors  precision %.4f  recall %.4f  exact %d", k, f.n, f.tp+f.fn, f.precision(), f.recall(), f.exact)
	}
	t.Logf("%-18s %5d contracts %6d selectors  precision %.4f  recall %.4f  exact %d", "all", total.n, total.tp+total.fn, total.precision(), total.recall(), total.exact)
	if total.precision() < minPrecision || total.recall() < minRecall {
		t.Errorf("precision %.4f recall %.4f, want at least %.4f %.4f", total.precision(), total.recall(), minPrecision, minRecall)
	}
}

// BenchmarkSelectors is the floor BenchmarkAnalyze is measured against
// (.ci/measure-analyze runs both): the dispatcher walk alone, which
// Analyze runs as one of its parts.
func BenchmarkSelectors(b *testing.B) {
	entries := corpus(b)
	perContract(b, len(entries), func() {
		for _, e := range entries {
			Selectors(e.code)
		}
	})
}

// BenchmarkAnalyze is the whole analysis (what inspect and check --code
// run) per contract over the corpus.
func BenchmarkAnalyze(b *testing.B) {
	entries := corpus(b)
	perContract(b, len(entries), func() {
		for _, e := range entries {
			if _, err := Analyze(e.code); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// perContract runs pass (one pass over n contracts) b.N times and reports
// time, bytes and allocations per contract, the units of the budget.
func perContract(b *testing.B, n int, pass func()) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		pass()
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	runs := float64(b.N * n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/runs, "ns/contract")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/runs, "B/contract")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/runs, "allocs/contract")
}

// TestAnalyzeCorpusCreation checks that creation code yields the runtime's
// selectors and that no runtime is mistaken for creation code.
func TestAnalyzeCorpusCreation(t *testing.T) {
	var creations, runtimes, bad int
	for _, e := range corpus(t) {
		a, err := Analyze(e.code)
		if err != nil {
			t.Fatalf("%s: %v", e.Source, err)
		}
		runtimes++
		if a.Form == FormCreation {
			bad++
			if bad <= 5 {
				t.Errorf("%s (%s): runtime code analysed as creation code (runtime at %d, %d bytes)", e.Source, e.Name, a.RuntimeOffset, a.RuntimeSize)
			}
		}
		if len(e.creation) == 0 {
			continue
		}
		creations++
		a, err = Analyze(e.creation)
		if err != nil {
			t.Fatalf("%s creation: %v", e.Source, err)
		}
		want := make([]string, len(e.want))
		for i, s := range e.want {
			want[i] = fmt.Sprintf("0x%08x", s)
		}
		if a.Form != FormCreation || !slices.Equal(a.Selectors, want) {
			bad++
			if bad <= 10 {
				t.Errorf("%s (%s %s opt=%s) creation: form %q runtime [%d,+%d) of %d (want +%d), %d selectors, want %d",
					e.Source, e.Name, e.Compiler, e.Optimizer, a.Form, a.RuntimeOffset, a.RuntimeSize, len(e.creation), len(e.code), len(a.Selectors), len(want))
			}
		}
	}
	t.Logf("%d runtimes, %d creation codes, %d wrong", runtimes, creations, bad)
}
