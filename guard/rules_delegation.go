package guard

func delegationAnyChain(c *Context, r *Rule) []Finding { return nil }

func delegationUnknown(c *Context, r *Rule) []Finding { return nil }

func delegationMultiple(c *Context, r *Rule) []Finding { return nil }

func delegationInvalidSignature(c *Context, r *Rule) []Finding { return nil }
