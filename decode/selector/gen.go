//go:build ignore

// gen builds 4byte.bin from go-ethereum's signer/fourbyte/4byte.json. Run it
// with `go generate ./decode/selector`; the layout it writes is described in
// selector.go.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/crypto"
)

// Keep in step with selector.go.
const (
	magic   = "4BYT"
	version = 1
)

// Drop reasons, in the order they are checked.
const (
	badKey   = "key is not 8 lower-case hex digits"
	badSig   = "signature is not name(types) as abi.ParseSelector reads it"
	mismatch = "keccak256(signature)[:4] is not the key"
)

type entry struct {
	sel [4]byte
	sig string
}

func main() {
	in := flag.String("in", "", "4byte.json to read (default: the one in go-ethereum's module directory)")
	out := flag.String("out", "4byte.bin", "table to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if in == "" {
		dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/ethereum/go-ethereum").Output()
		if err != nil {
			return fmt.Errorf("locate go-ethereum: %w", err)
		}
		in = filepath.Join(strings.TrimSpace(string(dir)), "signer", "fourbyte", "4byte.json")
	}
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	// A map, exactly as fourbyte.New reads it, so that a duplicated key means
	// here what it means there.
	var source map[string]string
	if err := json.Unmarshal(raw, &source); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	kept := make([]entry, 0, len(source))
	dropped := map[string][]string{}
	for key, sig := range source {
		e, reason := check(key, sig)
		if reason != "" {
			dropped[reason] = append(dropped[reason], key+" "+sig)
			continue
		}
		kept = append(kept, e)
	}
	slices.SortFunc(kept, func(a, b entry) int { return bytes.Compare(a.sel[:], b.sel[:]) })

	table, err := encode(kept, len(source))
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, table, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}

	fmt.Fprintf(os.Stderr, "gen: %s: %d entries, kept %d, dropped %d; wrote %s (%d bytes)\n",
		in, len(source), len(kept), len(source)-len(kept), out, len(table))
	for _, reason := range []string{badKey, badSig, mismatch} {
		examples := dropped[reason]
		if len(examples) == 0 {
			continue
		}
		slices.Sort(examples)
		fmt.Fprintf(os.Stderr, "gen:   %d dropped: %s, e.g. %q\n", len(examples), reason, examples[:min(3, len(examples))])
	}
	return nil
}

// check returns the entry for key and sig, or why it is dropped. Besides the
// selector matching its text, every kept signature parses with
// abi.ParseSelector, so a caller can always build an ABI method from it.
func check(key, sig string) (entry, string) {
	b, err := hex.DecodeString(key)
	if err != nil || len(b) != 4 || hex.EncodeToString(b) != key {
		return entry{}, badKey
	}
	// ParseSelector panics on text with no '(' (go-ethereum v1.17.10).
	if !strings.Contains(sig, "(") {
		return entry{}, badSig
	}
	if _, err := abi.ParseSelector(sig); err != nil {
		return entry{}, badSig
	}
	if !bytes.Equal(crypto.Keccak256([]byte(sig))[:4], b) {
		return entry{}, mismatch
	}
	return entry{[4]byte(b), sig}, ""
}

// encode lays out the table: header (magic, version, count, source count),
// the sorted selectors, the end offset of each signature in the blob, then
// the blob. Every integer is a big-endian uint32.
func encode(entries []entry, source int) ([]byte, error) {
	blob := 0
	for _, e := range entries {
		blob += len(e.sig)
	}
	if blob > math.MaxUint32 || source > math.MaxUint32 {
		return nil, fmt.Errorf("table too large: %d entries, %d bytes of text", len(entries), blob)
	}
	b := make([]byte, 0, 16+8*len(entries)+blob)
	b = append(b, magic...)
	b = binary.BigEndian.AppendUint32(b, version)
	b = binary.BigEndian.AppendUint32(b, uint32(len(entries)))
	b = binary.BigEndian.AppendUint32(b, uint32(source))
	for _, e := range entries {
		b = append(b, e.sel[:]...)
	}
	end := 0
	for _, e := range entries {
		end += len(e.sig)
		b = binary.BigEndian.AppendUint32(b, uint32(end))
	}
	for _, e := range entries {
		b = append(b, e.sig...)
	}
	return b, nil
}
