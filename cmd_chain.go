package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// chainIDs are the names --chain accepts, as cast, viem and chainlist
// spell them. Only public, well-known chains: a name is a convenience, and
// any other chain is given by its id.
var chainIDs = map[string]uint64{
	"mainnet": 1, "ethereum": 1, "eth": 1,
	"sepolia": 11155111, "holesky": 17000, "hoodi": 560048,
	"optimism": 10, "op": 10, "optimism-sepolia": 11155420, "op-sepolia": 11155420,
	"base": 8453, "base-sepolia": 84532,
	"arbitrum": 42161, "arbitrum-one": 42161, "arbitrum-nova": 42170, "arbitrum-sepolia": 421614,
	"polygon": 137, "matic": 137, "polygon-amoy": 80002, "amoy": 80002,
	"bsc": 56, "bnb": 56, "gnosis": 100, "xdai": 100,
	"avalanche": 43114, "avax": 43114, "linea": 59144, "scroll": 534352,
	"zksync": 324, "blast": 81457, "celo": 42220, "mantle": 5000, "zora": 7777777,
	"unichain": 130, "worldchain": 480,
	"anvil": 31337, "hardhat": 31337, "dev": 1337, // geth --dev
}

// parseChain reads --chain: a name from chainIDs, a decimal id or a 0x id.
// "" is no chain: nothing to compare with.
func parseChain(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if id, ok := chainIDs[strings.ToLower(s)]; ok {
		return id, nil
	}
	var id uint64
	var err error
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		id, err = strconv.ParseUint(h, 16, 64)
	} else {
		id, err = strconv.ParseUint(s, 10, 64)
	}
	if err != nil || id == 0 {
		names := slices.Sorted(maps.Keys(chainIDs))
		if n := nearest(s, names); n != "" {
			return 0, fmt.Errorf("--chain %q: not a chain id or a name txguard knows: did you mean %s?", s, n)
		}
		return 0, fmt.Errorf("--chain %q: not a chain id or a name txguard knows (%s)", s, strings.Join(chainNames(), ", "))
	}
	return id, nil
}

// chainNames is one name per chain, for the help and error text.
func chainNames() []string {
	return []string{"mainnet", "sepolia", "holesky", "hoodi", "optimism", "base", "arbitrum", "polygon", "bsc", "gnosis", "avalanche", "linea", "scroll", "zksync", "blast", "celo", "mantle", "zora", "unichain", "anvil", "…"}
}
