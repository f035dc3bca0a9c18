package guard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/codediff"

	corpus "github.com/txguard/txguard/fixtures"
)

const fixtures = "../fixtures"

// fixedNow is "today" for every fixture.
var fixedNow = corpus.Now

// fixtureConfig is the user every fixture is checked for.
func fixtureConfig(t testing.TB) Config {
	book, deny := corpus.Books(t, fixtures)
	return Config{AddressBook: book, DenyList: deny, Chain: 1, Now: fixedNow}
}

func checkFile(t testing.TB, path string, cfg Config) *Verdict {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := decode.Decode(b, decode.Options{Kind: decode.Kind(corpus.KindOf(path)), AddressBook: cfg.AddressBook, Chain: cfg.Chain})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	// A fixture may name the account the user signs with (--from).
	if from := corpus.From(t, path); from != nil {
		cfg.Signer = from
	}
	// A fixture may come with what a node said of it (recorded from a real
	// one by prompts/node's tests): the TG10xx rules judge that.
	if b, err := os.ReadFile(path + ".sim"); err == nil {
		cfg.Sim = new(Simulation)
		if err := json.Unmarshal(b, cfg.Sim); err != nil {
			t.Fatalf("%s.sim: %v", path, err)
		}
	}
	return Check(res, cfg)
}

func inputs(t testing.TB, group string) []string {
	out := corpus.Inputs(t, fixtures, group)
	slices.Sort(out)
	return out
}

var ruleFixture = regexp.MustCompile(`^(TG\d{3,4})-(fire|quiet)-[a-z0-9-]+\.(hex|json|txt|hash|diff)$`)

// TestRuleFixtures: every fixtures/rules/TGnnn-fire-* input makes rule
// TGnnn fire, every TGnnn-quiet-* near miss does not, and every rule has
// at least one of each.
func TestRuleFixtures(t *testing.T) {
	cfg := fixtureConfig(t)
	seen := map[string]map[string]bool{}
	for _, path := range inputs(t, "rules") {
		m := ruleFixture.FindStringSubmatch(filepath.Base(path))
		if m == nil {
			t.Errorf("%s: name is not TGnnn-fire-… or TGnnn-quiet-…", path)
			continue
		}
		id, want := m[1], m[2] == "fire"
		if seen[id] == nil {
			seen[id] = map[string]bool{}
		}
		seen[id][m[2]] = true
		t.Run(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), func(t *testing.T) {
			v := checkFile(t, path, cfg)
			fired := slices.ContainsFunc(v.Findings, func(f Finding) bool { return f.Rule == id })
			if fired != want {
				t.Errorf("%s fired = %v, want %v; findings: %v", id, fired, want, ids(v.Findings))
			}
		})
	}
	buildPairs(t, seen)
	for _, r := range Rules() {
		if !seen[r.ID]["fire"] || !seen[r.ID]["quiet"] {
			t.Errorf("%s %s: want fixtures that fire and that stay quiet, have %v", r.ID, r.Name, seen[r.ID])
		}
	}
}

// TestBenignCorpus: everyday actions must not reach danger; a guard that
// cries wolf gets switched off.
func TestBenignCorpus(t *testing.T) {
	cfg := fixtureConfig(t)
	files := inputs(t, "benign")
	if len(files) == 0 {
		t.Fatal("no benign fixtures")
	}
	for _, path := range files {
		if v := checkFile(t, path, cfg); v.Level >= Danger {
			t.Errorf("%s: level %s; findings %v", path, v.Level, ids(v.Findings))
		}
	}
}

func TestRegistry(t *testing.T) {
	ids := map[string]bool{}
	names := map[string]bool{}
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for i, r := range Rules() {
		if ids[r.ID] || names[r.Name] {
			t.Errorf("%s %s: duplicate ID or name", r.ID, r.Name)
		}
		ids[r.ID], names[r.Name] = true, true
		if i > 0 && ruleNumber(Rules()[i-1].ID) >= ruleNumber(r.ID) {
			t.Errorf("%s: registry not in ID order", r.ID)
		}
		if !kebab.MatchString(r.Name) || r.Description == "" || r.check == nil {
			t.Errorf("%s: name %q, description %q, check set %v", r.ID, r.Name, r.Description, r.check != nil)
		}
	}
}

func ids(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule + "/" + f.Severity.String()
	}
	return out
}

// TestNoSilentOK walks every fixture: a verdict whose coverage lists a part
// not read is never OK, every verdict says what was read or not, and an OK
// verdict read everything.
func TestNoSilentOK(t *testing.T) {
	cfg := fixtureConfig(t)
	for _, group := range corpus.InputGroups {
		for _, path := range inputs(t, group) {
			if corpus.KindOf(path) == "diff" {
				continue
			}
			v := checkFile(t, path, cfg)
			cv := v.Coverage
			if len(cv.Read) == 0 && len(cv.NotRead) == 0 {
				t.Errorf("%s: the verdict says nothing of what was read", path)
			}
			if len(cv.NotRead) > 0 && v.Level == OK {
				t.Errorf("%s: OK although not read: %v", path, cv.NotRead)
			}
		}
	}
}

// ruleNumber is an ID's number: TG1001 comes after TG923.
func ruleNumber(id string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "TG"))
	if err != nil {
		return -1
	}
	return n
}

// buildPairs checks the compiled pairs of real contracts kept in
// fixtures/diffbuild/testdata (solc's build-info; the root package's test
// runs every pair .ci/run compiles): a backdoor fires its rule, a refactor
// is quiet; each counts for the rules it does or does not fire.
func buildPairs(t *testing.T, seen map[string]map[string]bool) {
	dirs, err := filepath.Glob("../fixtures/diffbuild/testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no compiled pairs: %v", err)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		expect, err := os.ReadFile(filepath.Join("../fixtures/diffbuild/pairs", name, "expect"))
		if err != nil {
			t.Fatal(err)
		}
		t.Run("build/"+name, func(t *testing.T) {
			d, err := codediff.FromBuilds(filepath.Join(dir, "old.json.gz"), filepath.Join(dir, "new.json.gz"))
			if err != nil {
				t.Fatal(err)
			}
			v := Check(&decode.Result{Kind: decode.KindDiff, Diff: d}, Config{})
			want := strings.Fields(string(expect))
			if want[0] == "quiet" && v.Level >= Caution {
				t.Errorf("a refactor, want below caution; have %s: %v", v.Level, ids(v.Findings))
			}
			if want[0] != "quiet" && !slices.ContainsFunc(v.Findings, func(f Finding) bool { return f.Rule == want[1] && f.Severity >= Danger }) {
				t.Errorf("a backdoor, want %s at danger; have %v", want[1], ids(v.Findings))
			}
			for _, r := range Rules() {
				if slices.ContainsFunc(v.Findings, func(f Finding) bool { return f.Rule == r.ID }) {
					mark(seen, r.ID, "fire")
				} else if strings.HasPrefix(r.ID, "TG91") {
					mark(seen, r.ID, "quiet")
				}
			}
		})
	}
}

func mark(seen map[string]map[string]bool, id, how string) {
	if seen[id] == nil {
		seen[id] = map[string]bool{}
	}
	seen[id][how] = true
}
