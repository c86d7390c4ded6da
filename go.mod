module github.com/kuntalasku/kuntalasku

go 1.25.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/shopspring/decimal v1.4.0
	golang.org/x/image v0.38.0
	golang.org/x/text v0.38.0
)
