package guard

func replayableTransaction(c *Context, r *Rule) []Finding { return nil }

func chainMismatch(c *Context, r *Rule) []Finding { return nil }

func absurdFees(c *Context, r *Rule) []Finding { return nil }

func contractCreation(c *Context, r *Rule) []Finding { return nil }

func valueWithTokenCall(c *Context, r *Rule) []Finding { return nil }

func invalidTransaction(c *Context, r *Rule) []Finding { return nil }

func unknownFunction(c *Context, r *Rule) []Finding { return nil }
