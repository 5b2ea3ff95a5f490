import { Controller, Get, Inject, type MessageEvent, Param, Sse, UseGuards } from "@nestjs/common";
import { map, type Observable } from "rxjs";
import { RollgateClient, type UserFlags } from "rollgate";
import { FeatureFlagGuard, RequireFlag } from "./feature-flag.guard";
import { UserFlagsParam } from "./user-flags.decorator";

/** The routes of the NestJS example. */
@Controller()
export class FlagsController {
  constructor(@Inject(RollgateClient) private readonly rollgate: RollgateClient) {}

  /** Every flag for the request's user (`x-user-*` headers), e.g. to bootstrap a browser app. */
  @Get("api/me/flags")
  myFlags(@UserFlagsParam() flags: UserFlags): { user: string; flags: Readonly<Record<string, unknown>> } {
    return { user: flags.user.id, flags: flags.getAllFlags() };
  }

  /** 403 unless `beta-dashboard` is on for the request's user; 401 without a user. */
  @Get("beta")
  @RequireFlag("beta-dashboard")
  @UseGuards(FeatureFlagGuard)
  beta(): { dashboard: string } {
    return { dashboard: "beta" };
  }

  /** Client-wide (no user). */
  @Get("api/feature")
  feature(): { enabled: boolean } {
    return { enabled: this.rollgate.isEnabled("new-feature", false) };
  }

  @Get("health")
  health(): { status: string; circuit: string; flags_source: string } {
    const { circuit, stale, source } = this.rollgate.getStatus();
    return { status: circuit === "closed" && !stale ? "healthy" : "degraded", circuit, flags_source: source };
  }

  /**
   * Server-Sent Events to the browser: the flag's value now, then each change.
   * In a page: `new EventSource("/flags/theme/stream").onmessage = (e) => console.log(JSON.parse(e.data))`.
   */
  @Sse("flags/:key/stream")
  stream(@Param("key") key: string): Observable<MessageEvent> {
    return this.rollgate.flag$(key).pipe(map((value) => ({ data: { key, value: value ?? null } })));
  }
}
