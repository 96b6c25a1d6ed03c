import { type DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformModule } from '@app/platform';
import { IdentityModule } from '@app/identity';

/** What operator commands need: the domain services, no HTTP and no job processors. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [PlatformModule.forRoot(config), IdentityModule] };
  }
}
