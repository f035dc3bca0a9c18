package typeddata

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Typed data generators, hostile and honest. Hostile ones are small inputs
// whose Field tree is not: absent members shown once per instance, type
// names and paths repeated on every value, arrays of arrays.

// request writes a typed data request whose primary type is Main.
func request(types map[string][]member, message any) string {
	t := map[string][]map[string]string{"EIP712Domain": {{"name": "name", "type": "string"}}}
	for name, members := range types {
		t[name] = []map[string]string{}
		for _, m := range members {
			t[name] = append(t[name], map[string]string{"name": m.Name, "type": m.Type})
		}
	}
	b, err := json.Marshal(map[string]any{"types": t, "primaryType": "Main", "domain": map[string]any{"name": "x"}, "message": message})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// absentMembers: elems empty objects of a type with n struct members, each
// shown as an absent member: n*elems values from 3*elems bytes.
func absentMembers(n, elems int) string {
	s := make([]member, n)
	for i := range s {
		s[i] = member{fmt.Sprintf("m%d", i), "E"}
	}
	list := make([]any, elems)
	for i := range list {
		list[i] = map[string]any{}
	}
	return request(map[string][]member{"Main": {{"a", "S[]"}}, "S": s, "E": {}}, map[string]any{"a": list})
}

// longTypeName: elems nulls of a struct type whose name is n characters,
// repeated on every element shown.
func longTypeName(n, elems int) string {
	name := "T" + strings.Repeat("t", n-1)
	return request(map[string][]member{"Main": {{"a", name + "[]"}}, name: {}}, map[string]any{"a": make([]any, elems)})
}

// multiDim: a uint256 array of dims dimensions, width elements in each.
func multiDim(dims, width int) string {
	var v func(d int) any
	v = func(d int) any {
		if d == 0 {
			return 1
		}
		list := make([]any, width)
		for i := range list {
			list[i] = v(d - 1)
		}
		return list
	}
	return request(map[string][]member{"Main": {{"a", "uint256" + strings.Repeat("[]", dims)}}}, map[string]any{"a": v(dims)})
}

// deepRecursive: a type with n members of its own type, nested depth deep
// through one of them: every level shows the other n-1 as absent, under a
// path one level longer.
func deepRecursive(n, depth int) string {
	ms := []member{{"p", "Main"}}
	for i := range n - 1 {
		ms = append(ms, member{fmt.Sprintf("x%d", i), "Main"})
	}
	var msg any
	for range depth {
		msg = map[string]any{"p": msg}
	}
	return request(map[string][]member{"Main": ms}, msg)
}

// unsignedUnderLongPath: keys that are not members, each noted with its
// path, under depth levels of a member whose name is n characters.
func unsignedUnderLongPath(n, depth, keys int) string {
	name := "p" + strings.Repeat("q", n-1)
	leaf := map[string]any{}
	for i := range keys {
		leaf[fmt.Sprintf("k%d", i)] = 0
	}
	var msg any = leaf
	for range depth {
		msg = map[string]any{name: msg}
	}
	return request(map[string][]member{"Main": {{name, "Main"}}}, msg)
}

// Seaport's order types, as OpenSea signs them.
var seaportTypes = map[string][]member{
	"OrderComponents": {{"offerer", "address"}, {"zone", "address"}, {"offer", "OfferItem[]"}, {"consideration", "ConsiderationItem[]"},
		{"orderType", "uint8"}, {"startTime", "uint256"}, {"endTime", "uint256"}, {"zoneHash", "bytes32"}, {"salt", "uint256"},
		{"conduitKey", "bytes32"}, {"counter", "uint256"}},
	"OfferItem": {{"itemType", "uint8"}, {"token", "address"}, {"identifierOrCriteria", "uint256"}, {"startAmount", "uint256"}, {"endAmount", "uint256"}},
	"ConsiderationItem": {{"itemType", "uint8"}, {"token", "address"}, {"identifierOrCriteria", "uint256"}, {"startAmount", "uint256"},
		{"endAmount", "uint256"}, {"recipient", "address"}},
}

func seaportOrder(i, offers, considerations int) map[string]any {
	item := func(j int) map[string]any {
		return map[string]any{"itemType": "2", "token": "0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D", "identifierOrCriteria": fmt.Sprint(1000 + j),
			"startAmount": "1", "endAmount": "1"}
	}
	var offer, consideration []any
	for j := range offers {
		offer = append(offer, item(j))
	}
	for j := range considerations {
		c := item(j)
		c["itemType"], c["token"], c["identifierOrCriteria"] = "0", "0x0000000000000000000000000000000000000000", "0"
		c["startAmount"], c["endAmount"] = "975000000000000000", "975000000000000000"
		c["recipient"] = fmt.Sprintf("0x%040x", 0x3c44+j)
		consideration = append(consideration, c)
	}
	return map[string]any{"offerer": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "zone": "0x0000000000000000000000000000000000000000",
		"offer": offer, "consideration": consideration, "orderType": "0", "startTime": "1765756800", "endTime": "1768435200",
		"zoneHash": "0x" + strings.Repeat("00", 32), "salt": fmt.Sprint(42 + i), "conduitKey": "0x0000007b02230091a7ed01230072f7006a004d60a8d4e71d599b8104250f0000",
		"counter": "0"}
}

// seaportListing is one order with n consideration items (fees, royalties,
// a private sale's payouts).
func seaportListing(n int) string {
	types := map[string][]member{"Main": seaportTypes["OrderComponents"]}
	for k, v := range seaportTypes {
		types[k] = v
	}
	return request(types, seaportOrder(0, 1, n))
}

// seaportBulk is a Seaport bulk listing: a tree of 2^height orders,
// OrderComponents[2][2]...[2], each order one NFT for payouts.
func seaportBulk(height, payouts int) string {
	types := map[string][]member{"Main": {{"tree", "OrderComponents" + strings.Repeat("[2]", height)}}}
	for k, v := range seaportTypes {
		types[k] = v
	}
	i := 0
	var tree func(h int) any
	tree = func(h int) any {
		if h == 0 {
			i++
			return seaportOrder(i, 1, payouts)
		}
		return []any{tree(h - 1), tree(h - 1)}
	}
	return request(types, map[string]any{"tree": tree(height)})
}

// permit2Batch is Permit2's PermitBatch for n tokens.
func permit2Batch(n int) string {
	details := make([]any, n)
	for i := range details {
		details[i] = map[string]any{"token": fmt.Sprintf("0x%040x", 0xa0b8+i), "amount": "1461501637330902918203684832716283019655932542975",
			"expiration": "1768435200", "nonce": fmt.Sprint(i)}
	}
	return request(map[string][]member{
		"Main":          {{"details", "PermitDetails[]"}, {"spender", "address"}, {"sigDeadline", "uint256"}},
		"PermitDetails": {{"token", "address"}, {"amount", "uint160"}, {"expiration", "uint48"}, {"nonce", "uint48"}},
	}, map[string]any{"details": details, "spender": "0x66a9893cC07D91D95644AEDD05D03f95e1dBA8Af", "sigDeadline": "1765756800"})
}
