package guard

func addressPoisoning(c *Context, r *Rule) []Finding { return nil }

func transferToTokenContract(c *Context, r *Rule) []Finding { return nil }

func transferFromNotSigner(c *Context, r *Rule) []Finding { return nil }

func zeroValueTransfer(c *Context, r *Rule) []Finding { return nil }

func denylistedAddress(c *Context, r *Rule) []Finding { return nil }
