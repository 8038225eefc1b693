import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import ConvexDemo from "./components/ConvexDemo.vue";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("ConvexDemo", ConvexDemo);
  },
} satisfies Theme;
