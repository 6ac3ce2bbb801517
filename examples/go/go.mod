module wagi-servlet.dev/examples/go

go 1.21
