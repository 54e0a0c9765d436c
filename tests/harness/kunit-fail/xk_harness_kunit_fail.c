// SPDX-License-Identifier: GPL-2.0
/*
 * A KUnit suite with one passing and one failing case, loaded as a module by
 * the harness test kunit-fail.sh to show that a failing KUnit case fails
 * "make check".
 */
#include <kunit/test.h>
#include <linux/module.h>

static void xk_harness_passes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static void xk_harness_fails(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 3);
}

static struct kunit_case xk_harness_cases[] = {
	KUNIT_CASE(xk_harness_passes),
	KUNIT_CASE(xk_harness_fails),
	{}
};

static struct kunit_suite xk_harness_suite = {
	.name = "xk_harness_kunit_fail",
	.test_cases = xk_harness_cases,
};
kunit_test_suite(xk_harness_suite);

MODULE_DESCRIPTION("make check harness test: a failing KUnit case");
MODULE_LICENSE("GPL");
