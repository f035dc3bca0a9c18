package evm

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/fxamacker/cbor/v2"
)

// Metadata is the compiler's CBOR trailer at the end of the code: what
// compiled it and the hash of its metadata JSON (which names the sources, so
// it can be looked up on IPFS or Swarm).
//
// solc appends a CBOR map {ipfs|bzzr0|bzzr1: hash, solc: version,
// experimental: bool} and then its length as 2 big-endian bytes. Vyper
// 0.3.x appends {vyper: [major, minor, patch]} the same way; from 0.3.10 it
// appends an array whose last item is that map and whose length suffix counts
// itself.
type Metadata struct {
	Compiler     string        `json:"compiler"`
	Version      string        `json:"version,omitempty"` // solc before 0.5.9 does not record it
	HashKind     string        `json:"hashKind,omitempty"`
	Hash         hexutil.Bytes `json:"hash,omitempty"`
	Experimental bool          `json:"experimental,omitempty"`
	// Offset is where the trailer starts in the code it was read from
	// (Analyze reads the runtime's, so for creation code it counts from
	// Analysis.RuntimeOffset): the code proper is code[:Offset].
	Offset int `json:"offset"`
}

// maxTrailer bounds the CBOR we try to decode: real trailers are < 100 bytes.
const maxTrailer = 256

// cborMode is built on first use, not at init, to keep it off the start-up
// path of commands that never look at bytecode.
var cborMode = sync.OnceValues(func() (cbor.DecMode, error) {
	return cbor.DecOptions{
		MaxNestedLevels:  4,
		MaxArrayElements: 16,
		MaxMapPairs:      16,
		IndefLength:      cbor.IndefLengthForbidden,
		TagsMd:           cbor.TagsForbidden,
		DefaultMapType:   reflect.TypeOf(map[string]any{}),
	}.DecMode()
})

// ParseMetadata reads the compiler trailer at the end of code, or returns nil
// if there is none.
func ParseMetadata(code []byte) *Metadata {
	if len(code) < 4 {
		return nil
	}
	n := int(binary.BigEndian.Uint16(code[len(code)-2:]))
	if n < 2 || n > maxTrailer {
		return nil
	}
	dm, err := cborMode()
	if err != nil {
		return nil
	}
	// The length suffix excludes itself (solc, Vyper < 0.3.10) or includes
	// itself (Vyper >= 0.3.10).
	for _, start := range []int{len(code) - 2 - n, len(code) - n} {
		if start < 0 || start >= len(code)-2 {
			continue
		}
		if h := code[start]; h&0xe0 != 0xa0 && h&0xe0 != 0x80 { // map or array
			continue
		}
		var v any
		if err := dm.Unmarshal(code[start:len(code)-2], &v); err != nil {
			continue
		}
		if md := interpret(v); md != nil {
			md.Offset = start
			return md
		}
	}
	return nil
}

// codeEnd is where executable code stops: before the trailer, if any.
func codeEnd(code []byte) int {
	if md := ParseMetadata(code); md != nil {
		return md.Offset
	}
	return len(code)
}

func interpret(v any) *Metadata {
	if arr, ok := v.([]any); ok && len(arr) > 0 {
		v = arr[len(arr)-1] // Vyper >= 0.3.10: [..., {"vyper": [...]}]
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	if vy, ok := m["vyper"]; ok {
		ver, ok := vy.([]any)
		if !ok {
			return nil
		}
		parts := make([]string, 0, len(ver))
		for _, p := range ver {
			u, ok := p.(uint64)
			if !ok {
				return nil
			}
			parts = append(parts, strconv.FormatUint(u, 10))
		}
		return &Metadata{Compiler: "vyper", Version: strings.Join(parts, ".")}
	}
	md := &Metadata{Compiler: "solc"}
	known := 0
	for k, val := range m {
		switch k {
		case "ipfs", "bzzr0", "bzzr1":
			h, ok := val.([]byte)
			if !ok {
				return nil
			}
			md.HashKind, md.Hash = k, bytes.Clone(h)
		case "solc":
			switch s := val.(type) {
			case []byte: // release builds: major, minor, patch
				if len(s) != 3 {
					return nil
				}
				md.Version = strconv.Itoa(int(s[0])) + "." + strconv.Itoa(int(s[1])) + "." + strconv.Itoa(int(s[2]))
			case string: // prerelease builds spell the full version
				md.Version = s
			default:
				return nil
			}
		case "experimental":
			b, ok := val.(bool)
			if !ok {
				return nil
			}
			md.Experimental = b
		default:
			continue
		}
		known++
	}
	if known == 0 {
		return nil
	}
	return md
}
