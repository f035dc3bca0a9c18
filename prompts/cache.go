package prompts

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/txguard/txguard/decode"
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
// for another input's review.
type cacheEntry struct {
	Key    string            `json:"key"`
	Review guard.ModelReview `json:"review"`
}

func (c *cache) path(key string) string { return filepath.Join(c.dir, key+".json") }

// load returns the cached review, or nil for a miss. A file that does not
// read back as an ok review for this key is ignored (and later replaced).
func (c *cache) load(key string) *guard.ModelReview {
	b, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil || e.Key != key || e.Review.Status != guard.StatusOK || e.Review.Level == nil || e.Review.Record == nil {
		return nil
	}
	return &e.Review
}

// store writes r atomically (a temporary file, then a rename), readable by
// the user alone. Only ok reviews are stored.
func (c *cache) store(key string, r *guard.ModelReview) error {
	if r.Status != guard.StatusOK {
		return errors.New("prompts: only ok reviews are cached")
	}
	b, err := json.Marshal(cacheEntry{Key: key, Review: *r})
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
