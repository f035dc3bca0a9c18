package prompts

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/ollama/ollama/api"

	"github.com/txguard/txguard/decode"
	"github.com/txguard/txguard/decode/userfile"
	"github.com/txguard/txguard/guard"
)

// cache holds validated reviews as JSON files named by the hash of
// everything the answer depends on, so a stale entry is never found rather
// than ever invalidated.
type cache struct{ dir string }

// openCache is nil when caching is off or there is nowhere to put it.
func openCache(cfg Config) *cache {
	if cfg.NoCache {
		return nil
	}
	dir := cfg.CacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(base, "txguard", "reviews")
	}
	return &cache{dir: dir}
}

// cacheKey hashes the canonical JSON of what the model sees and how it is
// asked: the decoded input, the rules' findings (the address book and deny
// list change them without changing the input), the intent, the model's
// digest, the templates, the ruleset, the answer schema and the options.
func cacheKey(v *guard.Verdict, digest, templateHash string, opts map[string]any, format []byte) string {
	b, err := json.Marshal(struct {
		Decoded        *decode.Result  `json:"decoded"`
		Findings       []guard.Finding `json:"findings"`
		RulesLevel     guard.Level     `json:"rulesLevel"`
		Intent         string          `json:"intent"`
		Digest         string          `json:"digest"`
		TemplateHash   string          `json:"templateHash"`
		RulesetVersion string          `json:"rulesetVersion"`
		Format         json.RawMessage `json:"format"`
		Options        map[string]any  `json:"options"`
	}{v.Decoded, v.Findings, v.RulesLevel, v.Intent, digest, templateHash, v.RulesetVersion, format, opts})
	if err != nil {
		panic(err) // the decoded input always marshals: decode --json prints it
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// cacheEntry is the file: the key again, so a renamed file is not taken
// for another input's review, and the answer as the model wrote it, so a
// hit goes through parseAnswer exactly as a fresh answer does.
type cacheEntry struct {
	Key      string      `json:"key"`
	Answer   string      `json:"answer"`
	Attempts int         `json:"attempts"`
	Metrics  api.Metrics `json:"metrics"`
}

// maxEntry bounds a cache file: one answer (at most maxContent bytes, which
// JSON's HTML escaping can make six times as long) and a few numbers.
const maxEntry = 8 * maxContent

func (c *cache) path(key string) string { return filepath.Join(c.dir, key+".json") }

// load returns the cached answer for key, validated as a fresh one is, and
// its entry; nil for a miss. The file may have been planted: anything but
// a small regular file that reads back as a valid answer for this key is a
// miss (and is later replaced), never an error and never a wait.
func (c *cache) load(key string, withIntent bool) (*answer, *cacheEntry) {
	// Not following a link planted at the path (to /dev/zero, say), not
	// waiting on a FIFO, a regular file of bounded size: else a miss.
	b, err := userfile.ReadNoFollow(c.path(key), maxEntry)
	if err != nil {
		return nil, nil
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil || e.Key != key || e.Attempts < 1 || e.Attempts > maxAttempts || !sane(e.Metrics) {
		return nil, nil
	}
	ans, err := parseAnswer(e.Answer, withIntent)
	if err != nil {
		return nil, nil
	}
	return ans, &e
}

func sane(m api.Metrics) bool {
	return m.TotalDuration >= 0 && m.LoadDuration >= 0 && m.PromptEvalDuration >= 0 && m.EvalDuration >= 0 &&
		m.PromptEvalCount >= 0 && m.EvalCount >= 0
}

// store writes a validated answer atomically (a temporary file, then a
// rename, which replaces whatever was at the path), readable by the user
// alone.
func (c *cache) store(key string, ans *answer, final api.ChatResponse, attempts int) error {
	b, err := json.Marshal(cacheEntry{Key: key, Answer: ans.raw, Attempts: attempts, Metrics: final.Metrics})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(c.dir, key+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	err = errors.Join(err, f.Chmod(0o600), f.Close())
	if err == nil {
		err = os.Rename(tmp, c.path(key))
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
