// ESLint (flat config) with typescript-eslint's recommended rules; `npm run lint`, run by `make test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "build/", ".state/", "results/", "test-artifacts/", "tools/"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            // `_name` marks a value that is deliberately unused (a destructured field left out).
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
        },
    },
    {
        // Pulumi mocks and captured tool output are loosely typed by nature; chai asserts with property reads (`.to.exist`).
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off", "@typescript-eslint/no-unused-expressions": "off" },
    },
);
