// Test data shared by the app and runtime tests.

/// A small backlog with CJK and emoji titles, a done story and a dependency.
public let fixture = """
# Webshop

- strategy: wsjf

## S-1 Guest checkout
- status: ready
- moscow: must
- value: 13
- time-criticality: 8
- risk-reduction: 3
- points: 5
- tags: checkout, mobile

As a first-time shopper I want to check out without an account.

## S-2 日本語の商品説明
- moscow: should
- value: 5
- time-criticality: 2
- risk-reduction: 1
- points: 3
- tags: i18n

## S-3 Gift wrapping 🎁 option
- moscow: could
- value: 3
- time-criticality: 1
- risk-reduction: 1
- points: 1
- depends: S-1

## S-4 Old search
- status: done
- moscow: must
- value: 8
- time-criticality: 8
- risk-reduction: 8
- points: 8

## S-5 Wishlist
- moscow: wont
- value: 2
- points: 2

"""
